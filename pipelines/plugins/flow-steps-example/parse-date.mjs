// parse-date: adds the parts of a date field (2012-01-31, 2001/01/01 00:47) as numbers. Plain
// JavaScript, so it runs without a loader; the step is a plain object, as defineStep would return.

const PARTS = ['year', 'month', 'day', 'weekday', 'hour', 'minute'];
const DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?/;

/** @type {import('flow-pipelines').MapStep<{ field: string; parts: string[]; prefix: string }>} */
export default {
  kind: 'map',
  name: 'parse-date',
  summary: 'Adds the year, month, day, weekday, hour or minute of a date field as numbers.',
  description:
    'Reads "YYYY-MM-DD" or "YYYY/MM/DD HH:mm" (an optional time) as written, with no time zone. Weekday 0 is Sunday. A record whose field is null or missing gets nulls.',
  flow: '>=0.1 <1',
  options: {
    type: 'object',
    properties: {
      field: { type: 'string', minLength: 1, description: 'The field holding the date.' },
      parts: {
        type: 'array',
        items: { enum: PARTS },
        minItems: 1,
        uniqueItems: true,
        default: ['year', 'month', 'day'],
        description: 'Which parts to add, each as a field of that name.',
      },
      prefix: { type: 'string', default: '', description: 'Put before each added field name, e.g. "dep_" for dep_year.' },
    },
    required: ['field'],
    additionalProperties: false,
  },
  examples: [{ title: 'Year and month of a date', yaml: 'step: "@flow-examples/steps/parse-date"\nwith: { field: date, parts: [year, month] }' }],
  setup: (options) => options,
  map(record, { field, parts, prefix }) {
    const value = record[field];
    const out = { ...record };
    const m = value === null || value === undefined ? null : DATE.exec(String(value));
    if (value !== null && value !== undefined && !m) throw new Error(`parse-date: field "${field}" is ${JSON.stringify(value)}, not a date like 2012-01-31`);
    for (const part of parts) out[prefix + part] = m ? partOf(m, part) : null;
    return out;
  },
  fields: ({ field }) => [field],
};

function partOf(m, part) {
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (part === 'year') return year;
  if (part === 'month') return month;
  if (part === 'day') return day;
  if (part === 'weekday') return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  if (part === 'hour') return m[4] === undefined ? null : Number(m[4]);
  return m[5] === undefined ? null : Number(m[5]);
}
