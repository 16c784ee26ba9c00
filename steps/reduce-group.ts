// group: one row per key with named aggregates, sorted by key so the result never depends on chunking.
import { defineStep, type OptionIssue } from '../engine/contract/step.js';
import { meanResult, mergeExactSum, sumResult, type ExactSum } from './kit/numbers/exact-sum.js';
import { greatest, least, type Num } from './kit/numbers/extremes.js';
import { COUNT, MAX, MEAN, MIN, SUM, compileGroupAdd, type Agg, type GroupAcc, type Key } from './kit/numbers/group-add.js';
import { addColumns, type ColumnsScratch } from './kit/numbers/group-columns.js';
import { setField } from './kit/record.js';

type Aggregate = 'count' | { sum: string } | { mean: string } | { min: string } | { max: string };

interface Options {
  by: string;
  aggregate?: Record<string, Aggregate>;
}

const kinds = { sum: SUM, mean: MEAN, min: MIN, max: MAX } as const;

interface State {
  by: string;
  aggs: Agg[];
  add: (acc: GroupAcc, record: unknown) => GroupAcc;
  scratch: ColumnsScratch;
}

type Acc = GroupAcc;

const fieldSchema = (what: string) => ({ type: 'string', minLength: 1, description: `Numeric field whose ${what} to take.` });
const aggSchema = (op: keyof typeof kinds, what: string) => ({
  type: 'object',
  description: `The ${what} of a field over the group's records (null values skipped).`,
  properties: { [op]: fieldSchema(what) },
  required: [op],
  additionalProperties: false,
});

function parse(options: Options): Agg[] {
  return Object.entries(options.aggregate ?? { count: 'count' }).map(([name, spec]): Agg => {
    if (spec === 'count') return { name, kind: COUNT };
    const op = Object.keys(spec)[0] as keyof typeof kinds;
    return { name, kind: kinds[op], field: (spec as Record<string, string>)[op]! };
  });
}

// Numbers (BigInts among them, by value) ascending, NaN after them, then strings by code unit, then
// false, true, and null last.
const rank = (k: Key): number =>
  typeof k === 'number' ? (Number.isNaN(k) ? 1 : 0) : typeof k === 'bigint' ? 0 : typeof k === 'string' ? 2 : typeof k === 'boolean' ? 3 : 4;
function compareKeys(a: Key, b: Key): number {
  const ra = rank(a),
    rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === b || a === null || b === null) return 0;
  // A number equal to a BigInt (2 ** 60 and 2n ** 60n) is another key: the number first.
  return a < b ? -1 : a > b ? 1 : typeof a === typeof b ? 0 : typeof a === 'bigint' ? 1 : -1;
}

export default defineStep<Options, State, Acc, Record<string, unknown>[]>({
  kind: 'reduce',
  name: 'group',
  summary: 'One row per distinct value of a field, with named aggregates (count, sum, mean, min, max).',
  description:
    'Rows are {<by>: key, <name>: value, ...}, sorted by key: numbers ascending, then strings by code unit ' +
    'order, then false and true, and the null group (records where the field is null or missing) last. ' +
    'Keys of different types never merge: 1 and "1" are two groups. sum, mean, min and max behave as the ' +
    'steps of the same name within each group. Without `aggregate`, each row counts its records.',
  options: {
    type: 'object',
    properties: {
      by: { type: 'string', minLength: 1, description: 'Field whose value is the group key (a string, number, boolean or null).' },
      aggregate: {
        type: 'object',
        description: "Output fields, each 'count' or one of {sum|mean|min|max: field}.",
        default: { count: 'count' },
        propertyNames: { minLength: 1 },
        additionalProperties: {
          description: "'count', or {sum: field}, {mean: field}, {min: field}, {max: field}.",
          oneOf: [
            { const: 'count', description: 'The number of records in the group.' },
            aggSchema('sum', 'sum'),
            aggSchema('mean', 'mean'),
            aggSchema('min', 'minimum'),
            aggSchema('max', 'maximum'),
          ],
        },
      },
    },
    required: ['by'],
    additionalProperties: false,
  },
  examples: [
    {
      title: 'Flights and mean delay per origin',
      yaml: 'step: group\nwith:\n  by: origin\n  aggregate:\n    flights: count\n    avg_delay: { mean: delay }\n    worst: { max: delay }',
    },
  ],
  check(options) {
    const issues: OptionIssue[] = [];
    if (options.aggregate && Object.hasOwn(options.aggregate, options.by)) {
      issues.push({
        path: `aggregate.${options.by}`,
        code: 'INVALID_VALUE',
        message: `the aggregate "${options.by}" has the name of the key field "by" and would overwrite it`,
        hint: 'give the aggregate another name',
      });
    }
    return issues;
  },
  setup: (options) => {
    const aggs = parse(options);
    return { by: options.by, aggs, add: compileGroupAdd(options.by, aggs), scratch: { slotOf: new Int32Array(0) } };
  },
  init: () => new Map(),
  add: (acc, record, state) => state.add(acc, record),
  merge(a, b, { aggs }) {
    for (const [k, bc] of b) {
      const ac = a.get(k);
      if (ac === undefined) {
        a.set(k, bc);
        continue;
      }
      for (let i = 0; i < aggs.length; i++) {
        const kind = aggs[i]!.kind;
        if (kind === COUNT) (ac[i] as number) += bc[i] as number;
        else if (kind === SUM) mergeExactSum(ac[i] as ExactSum, bc[i] as ExactSum);
        else if (kind === MEAN) {
          const x = ac[i] as { sum: ExactSum; count: number },
            y = bc[i] as { sum: ExactSum; count: number };
          mergeExactSum(x.sum, y.sum);
          x.count += y.count;
        } else {
          const x = ac[i] as Num | null,
            y = bc[i] as Num | null;
          ac[i] = x === null ? y : y === null ? x : kind === MIN ? least(x, y) : greatest(x, y);
        }
      }
    }
    return a;
  },
  finish(acc, { by, aggs }) {
    const keys = [...acc.keys()].sort(compareKeys);
    return keys.map((k) => {
      const cells = acc.get(k)!;
      const row: Record<string, unknown> = {};
      setField(row, by, k);
      aggs.forEach((agg, i) => {
        const c = cells[i]!;
        const value =
          agg.kind === SUM ? sumResult(c as ExactSum) : agg.kind === MEAN ? meanResult((c as { sum: ExactSum }).sum, (c as { count: number }).count) : c;
        setField(row, agg.name, value);
      });
      return row;
    });
  },
  fields: (options) => [options.by, ...parse(options).flatMap((a) => (a.field === undefined ? [] : [a.field]))],
  fast: {
    columns: (acc, batch, { by, aggs, scratch }) => addColumns(acc, batch, by, aggs, scratch),
  },
});
