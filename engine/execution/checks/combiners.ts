// The record checks (`not-null`, `values-in`, `where`, `unique`) as combiners: a state per chunk,
// filled in the worker record by record (add), merged on the main thread in chunk order (merge), so
// the counts are the same for any chunking and worker count. `rows` and `result` need no worker
// state: the chunks' record counts and the final result say it all (engine/run/checks.ts).
import type { CheckSpec } from '../../contract/plan.js';
import { compileExpr, type ExprParams } from '../../../steps/kit/expr/index.js';
import { compileNotNull, compileReader } from './fields.js';
import { UniqueCollector, type UniqueBlock } from './unique-collector.js';
import { eachRow, entryVerdict, failingRows } from './rows.js';
import type { ColumnBatch } from '../../contract/step.js';

export type { UniqueBlock };

/** Failing records kept as examples, per check. */
export const MAX_EXAMPLES = 5;

/** A record check's state: plain data, it crosses the thread boundary. */
export interface CheckState {
  checked: number;
  failing: number;
  /** The first failing records, in source order: [chunk, record in chunk] (at most MAX_EXAMPLES). */
  examples: Array<[number, number]>;
  /** `unique`: per chunk, the keys' hashes and each one's place among the records the chunk handed on. */
  blocks?: UniqueBlock[];
}

export type RecordCheckSpec = Extract<CheckSpec, { kind: 'not-null' | 'values-in' | 'where' | 'unique' }>;

export function isRecordCheck(check: CheckSpec): check is RecordCheckSpec {
  return check.kind !== 'rows' && check.kind !== 'result';
}

/** One chunk's record checks: `add` every record that reaches reduce/output (or `batch` its columns), then `states`. */
export interface ChunkChecks {
  /** `at`: the record's place among the records the chunk read (for its file:line). */
  add(record: unknown, at: number): void;
  /** A chunk read as columns, its rows at places 0, 1, ... (rows.ts). */
  batch(batch: ColumnBatch): void;
  states(): CheckState[];
}

/** The record checks of a plan, as a factory of one chunk's checks; undefined when there are none. */
/** `spill`: the folder for the unique checks' key bytes (one file per chunk and check); without it they stay in the state. */
export function recordChecks(checks: readonly CheckSpec[] | undefined, params?: ExprParams, spill?: string): ((chunk: number) => ChunkChecks) | undefined {
  const specs = (checks ?? []).filter(isRecordCheck);
  if (specs.length === 0) return undefined;
  const tests = specs.map((spec) => (spec.kind === 'unique' ? undefined : recordTest(spec, params)));
  // A batch read as columns: the checks on one field decided per dictionary entry (rows.ts).
  const entryVerdicts = specs.map((spec, i) => entryVerdict(spec, tests[i]));
  // One per check for the worker's life: a chunk's buffers are reused by the next (a chunk at a time).
  const uniques = specs.map((spec) => (spec.kind === 'unique' ? new UniqueCollector(spec.fields) : undefined));
  return (chunk) => {
    const states = specs.map((): CheckState => ({ checked: 0, failing: 0, examples: [] }));
    for (const unique of uniques) unique?.reset();
    let seen = 0;
    const fail = (i: number, at: number) => {
      const state = states[i]!;
      state.failing++;
      if (state.examples.length < MAX_EXAMPLES) state.examples.push([chunk, at]);
    };
    // The tests called straight from one function (no closure per check between), the unique keys after.
    const tested = specs.flatMap((_, i) => (tests[i] ? [{ i, test: tests[i] }] : []));
    const check = testAll(tested, fail);
    const collectors = uniques.filter((u): u is UniqueCollector => u !== undefined);
    const add: Adder =
      collectors.length === 0
        ? (record, at) => {
            seen++;
            check(record, at);
          }
        : (record, at) => {
            seen++;
            check(record, at);
            for (let k = 0; k < collectors.length; k++) collectors[k]!.add(record, at);
          };
    return {
      add,
      batch(batch) {
        seen += batch.rows;
        const verdicts = entryVerdicts.map((verdictOf) => verdictOf?.(batch));
        const decided = verdicts.flatMap((verdict, i) => (verdict ? [{ i, verdict }] : []));
        for (const { i, verdict } of decided) failingRows(verdict, batch.rows, (row) => fail(i, row));
        const rest = testAll(
          tested.filter(({ i }) => !verdicts[i]),
          fail,
        );
        // A unique key put together from its dictionary entries' parts, where every field has one.
        const byRow = collectors.filter((collector) => !collector.addBatch(batch));
        if (decided.length + collectors.length - byRow.length === specs.length) return;
        eachRow(batch, (record, at) => {
          rest(record, at);
          for (let k = 0; k < byRow.length; k++) byRow[k]!.add(record, at);
        });
      },
      states: () =>
        states.map((state, i) => {
          const unique = uniques[i];
          // unique counts only the keys without a null or missing part.
          return unique ? { ...state, checked: unique.size, blocks: [unique.block(chunk, spill, i)] } : { ...state, checked: seen };
        }),
    };
  };
}

type Adder = (record: unknown, at: number) => void;
type Test = (record: unknown) => boolean;

/** One function running every test on a record, calling `fail(check, at)` for each it fails. */
function testAll(tests: Array<{ i: number; test: Test }>, fail: (i: number, at: number) => void): Adder {
  if (tests.length === 0) return () => {};
  if (tests.length === 1) {
    const [{ i, test }] = tests as [{ i: number; test: Test }];
    return (record, at) => {
      if (!test(record)) fail(i, at);
    };
  }
  if (tests.length === 2) {
    const [a, b] = tests as [{ i: number; test: Test }, { i: number; test: Test }];
    const [ta, tb, ia, ib] = [a.test, b.test, a.i, b.i];
    return (record, at) => {
      if (!ta(record)) fail(ia, at);
      if (!tb(record)) fail(ib, at);
    };
  }
  const [first, ...rest] = tests as [{ i: number; test: Test }, ...Array<{ i: number; test: Test }>];
  const { i, test } = first;
  const others = testAll(rest, fail);
  return (record, at) => {
    if (!test(record)) fail(i, at);
    others(record, at);
  };
}

/** True when the record passes the check. */
export function recordTest(spec: Exclude<RecordCheckSpec, { kind: 'unique' }>, params?: ExprParams): (record: unknown) => boolean {
  switch (spec.kind) {
    case 'not-null':
      return compileNotNull(spec.fields);
    case 'values-in': {
      const read = compileReader(spec.field);
      const allowed = new Set(spec.values);
      return (record) => {
        const value = read(record);
        return allowed.has(value === undefined ? null : value);
      };
    }
    case 'where': {
      const test = compileExpr(spec.expr, params ?? {});
      return (record) => {
        // A record the expression cannot be evaluated on does not pass it.
        try {
          return Boolean(test(record));
        } catch {
          return false;
        }
      };
    }
  }
}

/** `b` (the later chunks) after `a`: counts add up, examples keep the earliest, blocks keep chunk order. */
export function mergeCheckState(a: CheckState, b: CheckState): CheckState {
  const examples = a.examples.length >= MAX_EXAMPLES ? a.examples : [...a.examples, ...b.examples].slice(0, MAX_EXAMPLES);
  const blocks = a.blocks || b.blocks ? [...(a.blocks ?? []), ...(b.blocks ?? [])] : undefined;
  return { checked: a.checked + b.checked, failing: a.failing + b.failing, examples, ...(blocks ? { blocks } : {}) };
}

/** `mergeCheckState` in place, for the main thread's running state: no copy of the blocks per chunk. */
export function absorbCheckState(into: CheckState, from: CheckState): void {
  into.checked += from.checked;
  into.failing += from.failing;
  for (const example of from.examples) if (into.examples.length < MAX_EXAMPLES) into.examples.push(example);
  if (from.blocks) (into.blocks ??= []).push(...from.blocks);
}

export function emptyCheckState(unique: boolean): CheckState {
  return { checked: 0, failing: 0, examples: [], ...(unique ? { blocks: [] } : {}) };
}
