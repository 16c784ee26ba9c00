// top: the n best records by a numeric field; ties keep source order, so chunking never shows.
import { defineStep } from '../engine/step.js';
import { badRecord, numberReader } from '../engine/numeric/record.js';

interface Options {
  n: number;
  by: string;
  order?: 'desc' | 'asc';
}

interface State {
  n: number;
  desc: boolean;
  by: string;
  read: (record: unknown) => number | undefined;
}

/** The kept records, best first; `values[i]` is the `by` value of `records[i]`. */
interface Acc {
  values: number[];
  records: unknown[];
}

export default defineStep<Options, State, Acc, unknown[]>({
  kind: 'reduce',
  name: 'top',
  summary: 'The n records with the largest (or, with order: asc, the smallest) value of a numeric field.',
  description:
    'Records are returned best first; records with equal values keep their source order, whatever the ' +
    'chunking. Records whose field is null or missing are left out; any other non-number (or NaN) is an error.',
  options: {
    type: 'object',
    properties: {
      n: { type: 'integer', minimum: 1, description: 'How many records to keep.' },
      by: { type: 'string', minLength: 1, description: 'Numeric field to rank the records by.' },
      order: {
        type: 'string',
        enum: ['desc', 'asc'],
        default: 'desc',
        description: 'desc keeps the largest values (the default), asc the smallest.',
      },
    },
    required: ['n', 'by'],
    additionalProperties: false,
  },
  examples: [
    { title: 'The 10 most delayed flights', yaml: 'step: top\nwith: { n: 10, by: delay }' },
    { title: 'The 3 shortest trips', yaml: 'step: top\nwith: { n: 3, by: distance, order: asc }' },
  ],
  setup: ({ n, by, order }) => ({ n, by, desc: order !== 'asc', read: numberReader('top', by) }),
  init: () => ({ values: [], records: [] }),
  add(acc, record, { n, desc, by, read }) {
    const v = read(record);
    if (v === undefined) return acc;
    if (Number.isNaN(v)) throw badRecord(`top: field "${by}" is NaN, which cannot be ranked`);
    const { values, records } = acc;
    const len = values.length;
    // Most records are not better than the last kept one: no search, no allocation.
    if (len === n && !(desc ? v > values[len - 1]! : v < values[len - 1]!)) return acc;
    // The first position holding a strictly worse value: equal values stay ahead (source order).
    let lo = 0, hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (desc ? values[mid]! >= v : values[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    values.splice(lo, 0, v);
    records.splice(lo, 0, record);
    if (values.length > n) {
      values.pop();
      records.pop();
    }
    return acc;
  },
  merge(a, b, { n, desc }) {
    // a precedes b in the source: on a tie, a's record wins.
    const values: number[] = [], records: unknown[] = [];
    let i = 0, j = 0;
    while (values.length < n && (i < a.values.length || j < b.values.length)) {
      const takeB = i === a.values.length || (j < b.values.length && (desc ? b.values[j]! > a.values[i]! : b.values[j]! < a.values[i]!));
      if (takeB) {
        values.push(b.values[j]!);
        records.push(b.records[j++]);
      } else {
        values.push(a.values[i]!);
        records.push(a.records[i++]);
      }
    }
    return { values, records };
  },
  finish: (acc) => acc.records,
  fields: () => undefined,
});
