// checkReducerLaws: the combiner laws a reducer must obey so that any chunking, any worker count and
// any merge order give one result. Property-tested with fast-check; the built-in reducers use it too.
// fast-check is an optional peer dependency: it loads on the first check, so flow-pipelines/testing
// imports without it (runStep, validateOptions).
import { createRequire } from 'node:module';
import type * as FastCheck from 'fast-check';
import type { ReduceStep, StepContext } from '../contract/step.js';
import { testContext, validateOptions } from './options.js';

type Fc = typeof FastCheck;
const load = createRequire(import.meta.url);

/** fast-check (Node caches it after the first load), or an error that says how to install it. */
export function loadFastCheck(id = 'fast-check'): Fc {
  try {
    return load(id) as Fc;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && (error as Error).message.includes(`'${id}'`);
    if (!missing) throw error;
    throw new Error('checkReducerLaws needs fast-check: npm install -D fast-check', { cause: error });
  }
}

export interface ReducerLawsOptions<O> {
  /** Lists of records to reduce: a fast-check arbitrary, or a sample (its ordered sub-lists are tried). */
  records: FastCheck.Arbitrary<unknown[]> | readonly unknown[];
  /** The step's `with:`, validated and defaulted as in a pipeline. */
  options?: Partial<O>;
  /** Runs per law (default 200). */
  numRuns?: number;
  seed?: number;
  ctx?: Partial<StepContext>;
}

/** Exact text of a value for comparing results: -0, NaN and BigInt kept apart, Maps and Sets by content. */
export function canon(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') return `n:${Object.is(v, -0) ? '-0' : String(v)}`;
    if (typeof v === 'bigint') return `b:${v}`;
    if (typeof v === 'string') return `s:${v}`;
    if (v instanceof Map) return { Map: [...v.entries()] };
    if (v instanceof Set) return { Set: [...v.values()] };
    return v === undefined ? 'undefined' : v;
  });
}

/** Where to cut the records into chunks, and choices that shape the merge tree (cuts may repeat: empty chunks). */
const chunkings = (fc: Fc) => fc.record({ cuts: fc.array(fc.nat(), { maxLength: 8 }), choices: fc.array(fc.nat(), { maxLength: 16 }) });
type Chunking = { cuts: number[]; choices: number[] };

/**
 * Checks, on random record lists, that: init() is merge's identity on both sides; merge is
 * associative; any chunking merged in any tree shape gives the same finish() as one chunk; and an
 * accumulator survives structuredClone (it crosses threads). Throws, naming the law and the
 * counterexample, when one fails.
 */
export function checkReducerLaws<O, S, A, R>(step: ReduceStep<O, S, A, R>, opts: ReducerLawsOptions<O>): void {
  const fc = loadFastCheck();
  const options = validateOptions(step, opts.options ?? {}, opts.ctx);
  const state = step.setup?.(options as O, testContext(opts.ctx)) as S;
  const records = Array.isArray(opts.records)
    ? fc.oneof(fc.constant([...opts.records]), fc.subarray([...opts.records]))
    : (opts.records as FastCheck.Arbitrary<unknown[]>);
  const params = { numRuns: opts.numRuns ?? 200, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) };
  // Every call gets fresh accumulators: merge and add may update their arguments in place.
  const part = (rs: readonly unknown[]): A => rs.reduce<A>((acc, r) => step.add(acc, r, state), step.init(state));
  const merge = (a: A, b: A): A => step.merge(structuredClone(a), structuredClone(b), state);
  const result = (acc: A): string => canon(step.finish(acc, state));
  const law = (name: string, property: FastCheck.IProperty<never> | FastCheck.IProperty<any>) => {
    try {
      fc.assert(property, params);
    } catch (error) {
      // fast-check keeps the failing check's own message in `cause`: show both.
      const cause = (error as Error).cause instanceof Error ? `\n${((error as Error).cause as Error).message}` : '';
      throw new Error(`${step.name}: ${name}\n${(error as Error).message}${cause}`, { cause: error });
    }
  };

  law(
    'an accumulator must survive structuredClone (it crosses threads) and give the same finish()',
    fc.property(records, (rs) => {
      equal(result(structuredClone(part(rs))), result(part(rs)), 'finish(structuredClone(acc))', 'finish(acc)');
    }),
  );
  law(
    'init() must be the identity of merge',
    fc.property(records, (rs) => {
      const alone = result(part(rs));
      equal(result(merge(step.init(state), part(rs))), alone, 'finish(merge(init(), acc))', 'finish(acc)');
      equal(result(merge(part(rs), step.init(state))), alone, 'finish(merge(acc, init()))', 'finish(acc)');
    }),
  );
  law(
    'merge must be associative',
    fc.property(records, fc.nat(), fc.nat(), (rs, x, y) => {
      const [i, j] = [x % (rs.length + 1), y % (rs.length + 1)].sort((p, q) => p - q) as [number, number];
      const [a, b, c] = [rs.slice(0, i), rs.slice(i, j), rs.slice(j)];
      equal(result(merge(merge(part(a), part(b)), part(c))), result(merge(part(a), merge(part(b), part(c)))), 'merge(merge(a, b), c)', 'merge(a, merge(b, c))');
    }),
  );
  law(
    'any chunking and merge order must give the one-chunk result',
    fc.property(records, chunkings(fc), (rs, plan) => {
      equal(result(reduceChunked(rs, plan, part, merge, () => step.init(state))), result(part(rs)), 'chunked', 'one chunk');
    }),
  );
}

function equal(actual: string, expected: string, what: string, other: string): void {
  if (actual !== expected) throw new Error(`${what} gave ${actual}\n${other} gave ${expected}`);
}

/** Reduce chunk by chunk, then merge in a random tree, now and then with init() on either side. */
function reduceChunked<A>(records: readonly unknown[], plan: Chunking, part: (rs: readonly unknown[]) => A, merge: (a: A, b: A) => A, init: () => A): A {
  const cuts = plan.cuts.map((c) => c % (records.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, records.length];
  const accs = bounds.slice(1).map((end, i) => part(records.slice(bounds[i], end)));
  let n = 0;
  const next = () => (plan.choices.length === 0 ? 0 : plan.choices[n++ % plan.choices.length]!);
  const tree = (lo: number, hi: number): A => {
    let acc: A;
    if (hi - lo === 1) acc = accs[lo]!;
    else {
      const mid = lo + 1 + (next() % (hi - lo - 1));
      acc = merge(tree(lo, mid), tree(mid, hi));
    }
    const pick = next() % 5;
    return pick === 1 ? merge(init(), acc) : pick === 2 ? merge(acc, init()) : acc;
  };
  return tree(0, accs.length);
}
