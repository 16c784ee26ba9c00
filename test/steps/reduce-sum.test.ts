import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sum from '../../steps/reduce-sum.js';
import mean from '../../steps/reduce-mean.js';
import { FlowError } from '../../engine/contract/errors.js';
import { checkCombiner, checkDefinition, reduceAll } from './reduce-harness.js';

/** Numbers of every kind the exact sum has a path for, and nulls to skip. */
const value = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 53 - 1, -(2 ** 53) + 1, 0.1, 1e308, -1e308, 2 ** 1020, -0, null, 1, 2 ** -53, 2 ** -106) },
);
const numbers = fc.array(value, { maxLength: 40 });
const ints = fc.array(fc.oneof(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.constant(null)), { maxLength: 40 });
const records = fc.array(fc.record({ x: fc.option(value, { nil: undefined }) }, { requiredKeys: [] }), { maxLength: 40 });

describe('sum', () => {
  it('is a valid step definition', () => checkDefinition(sum));

  it('sums the squares of range(0, 1e6) exactly, past 2^53', () => {
    const squares = Array.from({ length: 1e6 }, (_, i) => i * i);
    expect(reduceAll(sum, {}, squares)).toBe(333332833333500000n);
  });

  it('sums floats exactly (fsum), and 0 for none', () => {
    expect(reduceAll(sum, {}, Array(10).fill(0.1))).toBe(1);
    expect(reduceAll(sum, {}, [1e100, 1, -1e100])).toBe(1);
    expect(reduceAll(sum, {}, [])).toBe(0);
  });

  it('skips null and missing fields, and reads a field', () => {
    expect(reduceAll(sum, { field: 'x' }, [{ x: 1 }, { x: null }, {}, { x: 2.5 }])).toBe(3.5);
    expect(reduceAll(sum, {}, [1, null, 2])).toBe(3);
    expect(sum.fields!({ field: 'x' })).toEqual(['x']);
    expect(sum.fields!({})).toBeUndefined();
  });

  it('rejects a non-number, naming the field and the value', () => {
    const run = () => reduceAll(sum, { field: 'delay' }, [{ delay: 1 }, { delay: 'late' }]);
    expect(run).toThrow(FlowError);
    expect(run).toThrow('sum: field "delay" is "late" (a string), not a number');
    expect(() => reduceAll(sum, {}, [true])).toThrow('sum: the record is true (a boolean), not a number');
  });

  it('is a combiner over numbers, exact for any chunking', () => checkCombiner(sum, {}, numbers, 500));
  it('is a combiner over integers past 2^53', () => checkCombiner(sum, {}, ints));
  it('is a combiner over a field', () => checkCombiner(sum, { field: 'x' }, records));
});

describe('mean', () => {
  it('is a valid step definition', () => checkDefinition(mean));

  it('divides the exact sum by the count of non-null values (like AVG), null for none', () => {
    expect(reduceAll(mean, { field: 'x' }, [{ x: 1 }, { x: null }, {}, { x: 2 }])).toBe(1.5);
    expect(reduceAll(mean, {}, [])).toBe(null);
    expect(reduceAll(mean, {}, [null])).toBe(null);
  });

  it('is exact with huge and tiny values, where a naive mean is not', () => {
    expect(reduceAll(mean, {}, [1e308, 1e308, 1e308])).toBe(1e308);
    expect(reduceAll(mean, {}, [1e308, 1e-300, -1e308, 3e-300])).toBe(1e-300);
    expect(reduceAll(mean, {}, Array(10).fill(0.1))).toBe(0.1);
    const max = Number.MAX_SAFE_INTEGER;
    expect(reduceAll(mean, {}, [max, max, max, max])).toBe(max);
  });

  it('is a combiner: never a mean of chunk means', () => checkCombiner(mean, {}, numbers, 500));
  it('is a combiner over a field', () => checkCombiner(mean, { field: 'x' }, records));
});

describe('fast.numbers (numbers straight from a source)', () => {
  const ctx = { pipelineDir: '/' };
  const numbers = fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 2 ** 53 - 1 }).map((k) => k / 2 ** 53),
      fc.double({ noNaN: true }),
      fc.integer(),
    ),
    { maxLength: 200 },
  );

  it.each([
    ['sum', sum],
    ['mean', mean],
  ] as const)('%s: the same result as add on each number', (_, step) => {
    fc.assert(
      fc.property(numbers, (values) => {
        const state = step.setup!({}, ctx);
        const bulk = step.finish(step.fast!.numbers!(step.init(state), Float64Array.from(values), state), state);
        let acc = step.init(state);
        for (const v of values) acc = step.add(acc, v, state);
        expect(Object.is(bulk, step.finish(acc, state)) || bulk === step.finish(acc, state)).toBe(true);
      }),
    );
  });

  it.each([
    ['sum', sum],
    ['mean', mean],
  ] as const)('%s with a field: a number record is the same BAD_RECORD error as with add', (_, step) => {
    const state = step.setup!({ field: 'delay' }, ctx);
    const viaAdd = (() => {
      try {
        step.add(step.init(state), 3, state);
      } catch (e) {
        return (e as FlowError).toJSON();
      }
    })();
    expect(viaAdd).toMatchObject({ code: 'BAD_RECORD' });
    expect(() => step.fast!.numbers!(step.init(state), Float64Array.of(3), state)).toThrow(FlowError);
    try {
      step.fast!.numbers!(step.init(state), Float64Array.of(3), state);
    } catch (e) {
      expect((e as FlowError).toJSON()).toEqual(viaAdd);
    }
  });
});
