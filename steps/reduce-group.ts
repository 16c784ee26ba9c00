// group: one row per key with named aggregates, sorted by key so the result never depends on chunking.
import { defineStep, type OptionIssue } from '../engine/step.js';
import { addNumber, exactSum, meanResult, mergeExactSum, sumResult, type ExactSum } from '../engine/numeric/exact-sum.js';
import { badRecord, describeValue, fieldReader, numberReader, setField } from '../engine/numeric/record.js';

type Aggregate = 'count' | { sum: string } | { mean: string } | { min: string } | { max: string };

interface Options {
  by: string;
  aggregate?: Record<string, Aggregate>;
}

type Key = number | string | boolean | null;
const COUNT = 0, SUM = 1, MEAN = 2, MIN = 3, MAX = 4;
type Kind = typeof COUNT | typeof SUM | typeof MEAN | typeof MIN | typeof MAX;
const kinds = { sum: SUM, mean: MEAN, min: MIN, max: MAX } as const;

interface Agg {
  name: string;
  kind: Kind;
  field?: string;
  read: (record: unknown) => number | undefined;
}

interface State {
  by: string;
  key: (record: unknown) => unknown;
  aggs: Agg[];
}

/** Per key, one cell per aggregate: a count, an ExactSum, {sum, count} for a mean, or min/max (null when none). */
type Cell = number | ExactSum | { sum: ExactSum; count: number } | null;
type Acc = Map<Key, Cell[]>;

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
    if (spec === 'count') return { name, kind: COUNT, read: () => undefined };
    const op = Object.keys(spec)[0] as keyof typeof kinds;
    const field = (spec as Record<string, string>)[op]!;
    return { name, kind: kinds[op], field, read: numberReader(`group: aggregate "${name}"`, field) };
  });
}

function newCells(aggs: Agg[]): Cell[] {
  return aggs.map((a) => (a.kind === COUNT ? 0 : a.kind === SUM ? exactSum() : a.kind === MEAN ? { sum: exactSum(), count: 0 } : null));
}

/** A Map key (Map itself makes -0 the 0 key); a missing key is the null group; other types cannot be keys. */
function keyOf(value: unknown, by: string): Key {
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (value === null || value === undefined) return null;
  throw badRecord(
    `group: field "${by}" is ${describeValue(value)}; a group key must be a string, a number, a boolean or null`,
  );
}

// Numbers ascending (NaN after them), then strings by code unit, then false, true, and null last.
const rank = (k: Key): number => (typeof k === 'number' ? (Number.isNaN(k) ? 1 : 0) : typeof k === 'string' ? 2 : typeof k === 'boolean' ? 3 : 4);
function compareKeys(a: Key, b: Key): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra - rb;
  return a === b || a === null || b === null ? 0 : a < b ? -1 : a > b ? 1 : 0;
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
  setup: (options) => ({ by: options.by, key: fieldReader(options.by), aggs: parse(options) }),
  init: () => new Map(),
  add(acc, record, { by, key, aggs }) {
    if (record === null || typeof record !== 'object') {
      throw badRecord(`group: the record is ${describeValue(record)}, not an object with field "${by}"`);
    }
    const k = keyOf(key(record), by);
    let cells = acc.get(k);
    if (cells === undefined) acc.set(k, (cells = newCells(aggs)));
    for (let i = 0; i < aggs.length; i++) {
      const agg = aggs[i]!;
      if (agg.kind === COUNT) {
        (cells[i] as number)++;
        continue;
      }
      const v = agg.read(record);
      if (v === undefined) continue;
      if (agg.kind === SUM) addNumber(cells[i] as ExactSum, v);
      else if (agg.kind === MEAN) {
        const m = cells[i] as { sum: ExactSum; count: number };
        addNumber(m.sum, v);
        m.count++;
      } else {
        const c = cells[i] as number | null;
        cells[i] = c === null ? v : agg.kind === MIN ? Math.min(c, v) : Math.max(c, v);
      }
    }
    return acc;
  },
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
          const x = ac[i] as { sum: ExactSum; count: number }, y = bc[i] as { sum: ExactSum; count: number };
          mergeExactSum(x.sum, y.sum);
          x.count += y.count;
        } else {
          const x = ac[i] as number | null, y = bc[i] as number | null;
          ac[i] = x === null ? y : y === null ? x : kind === MIN ? Math.min(x, y) : Math.max(x, y);
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
          agg.kind === SUM ? sumResult(c as ExactSum)
          : agg.kind === MEAN ? meanResult((c as { sum: ExactSum }).sum, (c as { count: number }).count)
          : c;
        setField(row, agg.name, value);
      });
      return row;
    });
  },
  fields: (options) => [options.by, ...parse(options).flatMap((a) => (a.field === undefined ? [] : [a.field]))],
});
