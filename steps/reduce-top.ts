// top: the n best records by a numeric field; ties keep source order, so chunking never shows.
import { defineStep } from '../engine/contract/step.js';
import { badRecord, numberReader } from './kit/record.js';

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

/**
 * Candidates in source order, or sorted best first after a compaction. Once `full`, n records at
 * least as good as `cutoff` were seen: a record that is not strictly better cannot make the top n.
 */
interface Acc {
  values: number[];
  records: unknown[];
  full: boolean;
  cutoff: number;
}

/**
 * Keeps the n best, best first; a stable sort keeps equal values in buffer order, which is source
 * order (kept records precede later ones). Run once per n additions, so a record costs O(log n).
 */
function compact(acc: Acc, n: number, desc: boolean): Acc {
  const { values, records } = acc;
  const order = values.map((_, i) => i).sort((i, j) => (desc ? values[j]! - values[i]! : values[i]! - values[j]!) || i - j);
  order.length = Math.min(order.length, n);
  const full = order.length === n;
  const kept = order.map((i) => values[i]!);
  return { values: kept, records: order.map((i) => records[i]), full, cutoff: full ? kept[n - 1]! : 0 };
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
  init: () => ({ values: [], records: [], full: false, cutoff: 0 }),
  add(acc, record, { n, desc, by, read }) {
    const v = read(record);
    if (v === undefined) return acc;
    if (Number.isNaN(v)) throw badRecord(`top: field "${by}" is NaN, which cannot be ranked`);
    // Most records are not better than the cutoff: no work, no allocation.
    if (acc.full && !(desc ? v > acc.cutoff : v < acc.cutoff)) return acc;
    acc.values.push(v);
    acc.records.push(record);
    return acc.values.length >= 2 * n ? compact(acc, n, desc) : acc;
  },
  merge(a, b, { n, desc }) {
    // a precedes b in the source, so a's records go first and win ties.
    for (let i = 0; i < b.values.length; i++) {
      a.values.push(b.values[i]!);
      a.records.push(b.records[i]);
    }
    return compact(a, n, desc);
  },
  finish: (acc, { n, desc }) => compact(acc, n, desc).records,
  fields: () => undefined,
});
