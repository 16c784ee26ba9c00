// histogram: counts per bin of a numeric field. A combiner: the accumulator is a Map from bin
// number to count, merged by adding counts, so any chunking and merge order give the same bins.

/** @type {import('flow-pipelines').ReduceStep<{ field: string; width: number; origin: number }, { field: string; width: number; origin: number }, Map<number, number>, { from: number; to: number; count: number }[]>} */
export default {
  kind: 'reduce',
  name: 'histogram',
  summary: 'Counts the records per bin of a numeric field: [{from, to, count}] sorted by bin.',
  description:
    'Bin k holds the values v with origin + k*width <= v < origin + (k+1)*width. Empty bins are left out; null and missing values are skipped; any other non-number is an error.',
  flow: '>=0.1 <1',
  options: {
    type: 'object',
    properties: {
      field: { type: 'string', minLength: 1, description: 'The numeric field to bin.' },
      width: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'The width of a bin.' },
      origin: { type: 'number', default: 0, description: 'Where bin 0 starts.' },
    },
    required: ['field'],
    additionalProperties: false,
  },
  examples: [{ title: 'Daily maximum temperature in 5-degree bins', yaml: 'step: "@flow-examples/steps/histogram"\nwith: { field: temp_max, width: 5 }' }],
  setup: (options) => options,
  init: () => new Map(),
  add(bins, record, { field, width, origin }) {
    const value = record?.[field];
    if (value === null || value === undefined) return bins;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`histogram: field "${field}" is ${JSON.stringify(value)}, not a finite number`);
    const bin = Math.floor((value - origin) / width);
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
    return bins;
  },
  merge(a, b) {
    for (const [bin, count] of b) a.set(bin, (a.get(bin) ?? 0) + count);
    return a;
  },
  finish: (bins, { width, origin }) =>
    [...bins.keys()].sort((x, y) => x - y).map((bin) => ({ from: origin + bin * width, to: origin + (bin + 1) * width, count: bins.get(bin) })),
  fields: ({ field }) => [field],
};
