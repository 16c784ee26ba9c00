// The main thread's half of a reducer: partial accumulators merged strictly in chunk order.
import { describe, expect, it } from 'vitest';
import { createMerger } from '../../../engine/run/merge.js';
import type { ResolvedStep } from '../../../engine/contract/plan.js';
import type { ReduceStep } from '../../../engine/contract/step.js';
import collect from '../../../steps/reduce-collect.js';
import top from '../../../steps/reduce-top.js';
import mean from '../../../steps/reduce-mean.js';

const ctx = { pipelineDir: '/tmp' };
const resolved = (name: string, options: Record<string, unknown> = {}): ResolvedStep => ({
  kind: 'reduce',
  name,
  module: `builtin:${name}`,
  options,
  path: 'reduce',
});

/** A chunk's partial, built the way a worker builds it: setup, init, add per record. */
function partial(step: ReduceStep, options: Record<string, unknown>, records: unknown[]): unknown {
  const state = step.setup?.(options, ctx);
  let acc = step.init(state);
  for (const record of records) acc = step.add(acc, record, state);
  return acc;
}

describe('createMerger', () => {
  it('merges partials in the order given: collect gives the records in chunk order', () => {
    const chunks = [[1, 2, 3], [], [4], [5, 6]];
    const merger = createMerger(collect, resolved('collect'), ctx);
    for (const records of chunks) merger.merge(partial(collect, {}, records));
    expect(merger.finish()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('does not sort: partials handed over out of order come out in that order', () => {
    const merger = createMerger(collect, resolved('collect'), ctx);
    merger.merge(partial(collect, {}, ['c']));
    merger.merge(partial(collect, {}, ['a', 'b']));
    expect(merger.finish()).toEqual(['c', 'a', 'b']);
  });

  it('finishes with init() when nothing was merged', () => {
    expect(createMerger(collect, resolved('collect'), ctx).finish()).toEqual([]);
    expect(createMerger(mean, resolved('mean'), ctx).finish()).toBeNull();
  });

  it('sets the step up with the resolved options: top keeps ties in chunk order', () => {
    const options = { n: 3, by: 'v' };
    const merger = createMerger(top, resolved('top', options), ctx);
    merger.merge(
      partial(top, options, [
        { id: 'a', v: 1 },
        { id: 'b', v: 5 },
      ]),
    );
    merger.merge(
      partial(top, options, [
        { id: 'c', v: 5 },
        { id: 'd', v: 0 },
      ]),
    );
    merger.merge(
      partial(top, options, [
        { id: 'e', v: 5 },
        { id: 'f', v: 2 },
      ]),
    );
    expect(merger.finish()).toEqual([
      { id: 'b', v: 5 },
      { id: 'c', v: 5 },
      { id: 'e', v: 5 },
    ]);
    const asc = { n: 2, by: 'v', order: 'asc' };
    const low = createMerger(top, resolved('top', asc), ctx);
    low.merge(
      partial(top, asc, [
        { id: 'a', v: 1 },
        { id: 'b', v: 5 },
      ]),
    );
    low.merge(
      partial(top, asc, [
        { id: 'c', v: 0 },
        { id: 'd', v: 1 },
      ]),
    );
    expect(low.finish()).toEqual([
      { id: 'c', v: 0 },
      { id: 'a', v: 1 },
    ]);
  });

  it('gives the same result for any chunking: a mean over all records, not of chunk means', () => {
    const records = [1, 2, 3, 4, 10];
    const whole = createMerger(mean, resolved('mean'), ctx);
    whole.merge(partial(mean, {}, records));
    const split = createMerger(mean, resolved('mean'), ctx);
    split.merge(partial(mean, {}, [1, 2, 3, 4]));
    split.merge(partial(mean, {}, [10]));
    expect(whole.finish()).toBe(4);
    expect(split.finish()).toBe(4);
  });
});
