// flow-pipelines/testing: runStep, validateOptions and checkReducerLaws, on built-in steps and on broken reducers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowError, FlowErrors } from '../../../engine/contract/errors.js';
import { defineReducer, defineStep } from '../../../engine/contract/step.js';
import { checkReducerLaws, runStep, validateOptions } from '../../../engine/testing/index.js';
import { loadFastCheck } from '../../../engine/testing/laws.js';
import filter from '../../../steps/map-filter.js';
import flatMap from '../../../steps/map-flat-map.js';
import range from '../../../steps/source-range.js';
import sum from '../../../steps/reduce-sum.js';
import top from '../../../steps/reduce-top.js';
import group from '../../../steps/reduce-group.js';

const errorOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('runStep', () => {
  it('runs a map step on records, in order', async () => {
    expect(await runStep(filter, [1, 5, 2, 8], { where: 'r > 2' })).toEqual([5, 8]);
    expect(await runStep(flatMap, [{ xs: [1, 2] }, { xs: [] }, { xs: [3] }], { expr: 'r.xs' })).toEqual([1, 2, 3]);
  });

  it('runs a source step, with its defaults filled in', async () => {
    expect(await runStep(range, { end: 5 })).toEqual([0, 1, 2, 3, 4]);
    expect(await runStep(range, { start: 10, end: 4, step: -3 })).toEqual([10, 7]);
  });

  it('runs a reducer in one chunk or several, merged in order', async () => {
    const squares = Array.from({ length: 1000 }, (_, i) => i * i);
    expect(await runStep(sum, squares, {})).toBe(332833500);
    expect(
      await runStep(
        sum,
        squares.map((x) => ({ x })),
        { field: 'x' },
        { chunks: 7 },
      ),
    ).toBe(332833500);
    expect(await runStep(top, [{ v: 1 }, { v: 3 }, { v: 2 }], { n: 2, by: 'v' }, { chunks: 3 })).toEqual([{ v: 3 }, { v: 2 }]);
  });

  it('refuses options as a pipeline would, naming the option', async () => {
    const err = await runStep(filter, [1], { wher: 'r > 1' } as never).catch((e: unknown) => e);
    // The typo explains the missing `where`: one error, as in a pipeline file.
    expect(err).toBeInstanceOf(FlowError);
    expect((err as FlowError).toJSON()).toEqual({ code: 'UNKNOWN_KEY', message: 'unknown key `wher`', path: 'with.wher', hint: 'did you mean `where`?' });
    const two = await runStep(top, [1], { n: -1, order: 'up' } as never).catch((e: unknown) => e);
    expect((two as FlowErrors).errors.map((e) => [e.code, e.path])).toEqual([
      ['MISSING_KEY', 'with.by'],
      ['INVALID_VALUE', 'with.n'],
      ['INVALID_VALUE', 'with.order'],
    ]);
    const syntax = await runStep(filter, [1], { where: 'r >' }).catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(FlowError);
    expect((syntax as FlowError).toJSON()).toMatchObject({ code: 'EXPR_SYNTAX', path: 'with.where' });
  });

  it("checks a reducer's fast.columns against add on the same records, and a source's against read", async () => {
    const rows = [
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
      { k: 'a', v: null },
    ];
    expect(await runStep(group, rows, { by: 'k', aggregate: { n: 'count', m: { mean: 'v' } } })).toEqual([
      { k: 'a', n: 2, m: 1 },
      { k: 'b', n: 1, m: 2 },
    ]);
    const counter = {
      name: 'n',
      summary: 'Counts records.',
      options: { type: 'object' },
      init: () => 0,
      add: (n: number) => n + 1,
      merge: (a: number, b: number) => a + b,
      finish: (n: number) => n,
    };
    const wrong = defineReducer({ ...counter, fast: { columns: (n: number, batch) => n + batch.rows + 1 } });
    await expect(runStep(wrong, rows, {})).rejects.toThrow(
      'n: fast.columns gives other values than the plain member (speed-ups must give exactly the same): 4 vs 3',
    );
    const throwing = defineReducer({
      ...counter,
      fast: {
        columns: () => {
          throw new Error('no');
        },
      },
    });
    await expect(runStep(throwing, rows, {})).rejects.toThrow('n: fast.columns throws where add does not: no');
    const source = defineStep({
      kind: 'source',
      name: 'pairs',
      summary: 'Two records.',
      options: { type: 'object' },
      split: () => ({ chunks: [{ data: null }] }),
      read: () => [{ a: 1 }, { a: 2 }],
      fast: { columns: () => ({ rows: 2, columns: new Map([['a', { dictionary: [2, 1], indices: [1, 1] }]]) }) },
    });
    await expect(runStep(source, {})).rejects.toThrow('pairs: fast.columns gives other values than the plain member');
  });

  it('clones what a map step outputs, as the thread boundary would', async () => {
    const leaky = defineStep({ kind: 'map', name: 'leaky', summary: 'Returns a function.', options: { type: 'object' }, map: () => () => 1 });
    await expect(runStep(leaky, [1], {})).rejects.toThrow(/could not be cloned/);
  });
});

describe('validateOptions', () => {
  it('returns the options with defaults, leaving the input alone', () => {
    const input = { n: 3, by: 'v' };
    expect(validateOptions(top, input)).toEqual({ n: 3, by: 'v', order: 'desc' });
    expect(input).toEqual({ n: 3, by: 'v' });
  });

  it('throws a FlowError with the path of a wrong value', () => {
    const err = errorOf(() => validateOptions(top, { n: 'three', by: 'v' }));
    expect((err as FlowError).toJSON()).toMatchObject({ code: 'WRONG_TYPE', path: 'with.n' });
  });
});

/** A sum over integers, with a configurable flaw. */
const counter = (flaw: 'none' | 'init' | 'merge' | 'clone') =>
  defineReducer({
    name: `sum-${flaw}`,
    summary: 'Sums integers.',
    options: { type: 'object', additionalProperties: false },
    init: () => (flaw === 'init' ? { total: 1 } : flaw === 'clone' ? new Total() : { total: 0 }),
    add: (acc: { total: number }, r: number) => {
      acc.total += r;
      return acc;
    },
    // A difference of non-empty partial totals: init() stays the identity, grouping matters.
    merge: (a, b) => (flaw === 'merge' && a.total !== 0 && b.total !== 0 ? { total: a.total - b.total } : { total: a.total + b.total }),
    finish: (acc) => (acc instanceof Total || flaw !== 'clone' ? acc.total : NaN),
  });

class Total {
  total = 0;
}

const ints = fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 20 });

describe('checkReducerLaws', () => {
  it('loads fast-check (an optional peer dependency) when it runs, and says how to install it when it is missing', () => {
    expect(typeof loadFastCheck().assert).toBe('function');
    expect(() => loadFastCheck('fast-check-that-is-not-installed')).toThrow(/^checkReducerLaws needs fast-check: npm install -D fast-check$/);
  });

  it('passes a lawful reducer, on an arbitrary or on a sample of records', () => {
    expect(() => checkReducerLaws(counter('none'), { records: ints })).not.toThrow();
    expect(() => checkReducerLaws(counter('none'), { records: [3, 1, 4, 1, 5, 9, 2, 6] })).not.toThrow();
  });

  it('catches an init() that is not the identity', () => {
    expect(() => checkReducerLaws(counter('init'), { records: ints, seed: 1 })).toThrow(/sum-init: init\(\) must be the identity of merge/);
  });

  it('catches a merge that is not associative', () => {
    expect(() => checkReducerLaws(counter('merge'), { records: ints, seed: 1 })).toThrow(
      /sum-merge: merge must be associative\n[\s\S]*merge\(merge\(a, b\), c\) gave/,
    );
  });

  it('catches an accumulator that does not survive structuredClone', () => {
    expect(() => checkReducerLaws(counter('clone'), { records: ints, seed: 1 })).toThrow(/sum-clone: an accumulator must survive structuredClone/);
  });

  it('validates the options it is given', () => {
    expect(() => checkReducerLaws(sum, { records: ints, options: { feild: 'x' } as never })).toThrow(FlowError);
  });
});
