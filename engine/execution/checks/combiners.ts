// The record checks (`not-null`, `values-in`, `where`, `unique`) as combiners: a state per chunk,
// filled in the worker record by record (add), merged on the main thread in chunk order (merge), so
// the counts are the same for any chunking and worker count. `rows` and `result` need no worker
// state: the chunks' record counts and the final result say it all (engine/run/checks.ts).
import type { CheckSpec } from '../../contract/plan.js';
import { compileExpr, type ExprParams } from '../../../steps/kit/expr/index.js';
import { fieldReader } from '../../../steps/kit/record.js';
import { keyHash } from './key.js';

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

export interface UniqueBlock {
  chunk: number;
  hashes: Float64Array;
  /** Place among the chunk's records after map (0, 1, ...), to find the record again for an exact re-check. */
  seqs: Uint32Array;
}

export type RecordCheckSpec = Extract<CheckSpec, { kind: 'not-null' | 'values-in' | 'where' | 'unique' }>;

export function isRecordCheck(check: CheckSpec): check is RecordCheckSpec {
  return check.kind !== 'rows' && check.kind !== 'result';
}

/** One chunk's record checks: `add` every record that reaches reduce/output, then `states`. */
export interface ChunkChecks {
  /** `at`: the record's place among the records the chunk read (for its file:line). */
  add(record: unknown, at: number): void;
  states(): CheckState[];
}

/** The record checks of a plan, as a factory of one chunk's checks; undefined when there are none. */
export function recordChecks(checks: readonly CheckSpec[] | undefined, params?: ExprParams): ((chunk: number) => ChunkChecks) | undefined {
  const specs = (checks ?? []).filter(isRecordCheck);
  if (specs.length === 0) return undefined;
  const tests = specs.map((spec) => (spec.kind === 'unique' ? undefined : recordTest(spec, params)));
  const keys = specs.map((spec) => (spec.kind === 'unique' ? spec.fields.map(fieldReader) : undefined));
  return (chunk) => {
    const states = specs.map((): CheckState => ({ checked: 0, failing: 0, examples: [] }));
    const uniques = keys.map((readers) => (readers ? new UniqueCollector(readers) : undefined));
    let seq = 0;
    return {
      add(record, at) {
        for (let i = 0; i < states.length; i++) {
          const state = states[i]!;
          const test = tests[i];
          // unique: a key with a null or missing part is not checked.
          if (test === undefined) {
            if (uniques[i]!.add(record, seq)) state.checked++;
            continue;
          }
          state.checked++;
          if (!test(record)) {
            state.failing++;
            if (state.examples.length < MAX_EXAMPLES) state.examples.push([chunk, at]);
          }
        }
        seq++;
      },
      states: () =>
        states.map((state, i) => {
          const unique = uniques[i];
          return unique ? { ...state, blocks: [unique.block(chunk)] } : state;
        }),
    };
  };
}

/** True when the record passes the check. */
export function recordTest(spec: Exclude<RecordCheckSpec, { kind: 'unique' }>, params?: ExprParams): (record: unknown) => boolean {
  switch (spec.kind) {
    case 'not-null': {
      const readers = spec.fields.map(fieldReader);
      return (record) => {
        for (const read of readers) {
          const value = read(record);
          if (value === null || value === undefined) return false;
        }
        return true;
      };
    }
    case 'values-in': {
      const read = fieldReader(spec.field);
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

/** A chunk's unique-key hashes, in a growing typed array (no object per record). */
class UniqueCollector {
  private hashes = new Float64Array(1024);
  private seqs = new Uint32Array(1024);
  private n = 0;

  constructor(private readonly readers: ReturnType<typeof fieldReader>[]) {}

  add(record: unknown, seq: number): boolean {
    const hash = keyHash(record, this.readers);
    if (hash === undefined) return false;
    if (this.n === this.hashes.length) {
      const hashes = new Float64Array(this.n * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const seqs = new Uint32Array(this.n * 2);
      seqs.set(this.seqs);
      this.seqs = seqs;
    }
    this.hashes[this.n] = hash;
    this.seqs[this.n++] = seq;
    return true;
  }

  /** Copies of the used part: a view would carry its whole buffer across the thread boundary. */
  block(chunk: number): UniqueBlock {
    return { chunk, hashes: this.hashes.slice(0, this.n), seqs: this.seqs.slice(0, this.n) };
  }
}

/** `b` (the later chunks) after `a`: counts add up, examples keep the earliest, blocks keep chunk order. */
export function mergeCheckState(a: CheckState, b: CheckState): CheckState {
  const examples = a.examples.length >= MAX_EXAMPLES ? a.examples : [...a.examples, ...b.examples].slice(0, MAX_EXAMPLES);
  const blocks = a.blocks || b.blocks ? [...(a.blocks ?? []), ...(b.blocks ?? [])] : undefined;
  return { checked: a.checked + b.checked, failing: a.failing + b.failing, examples, ...(blocks ? { blocks } : {}) };
}

export function emptyCheckState(unique: boolean): CheckState {
  return { checked: 0, failing: 0, examples: [], ...(unique ? { blocks: [] } : {}) };
}
