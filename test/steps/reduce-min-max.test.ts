import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import min from '../../steps/reduce-min.js';
import max from '../../steps/reduce-max.js';
import { checkCombiner, checkDefinition, reduceAll } from './reduce-harness.js';

const value = fc.oneof(
  { weight: 4, arbitrary: fc.double({ noDefaultInfinity: false }) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, null, NaN) },
);

describe.each([
  ['min', min, -3, -0],
  ['max', max, 7, 0],
] as const)('%s', (name, step, extreme, zero) => {
  it('is a valid step definition', () => checkDefinition(step));

  it('finds the extreme value, skipping nulls; null for none', () => {
    expect(reduceAll(step, {}, [2, null, -3, 7, 0.5])).toBe(extreme);
    expect(reduceAll(step, { field: 'v' }, [{ v: 2 }, {}, { v: -3 }, { v: 7 }])).toBe(extreme);
    expect(reduceAll(step, {}, [])).toBe(null);
    expect(reduceAll(step, {}, [null])).toBe(null);
  });

  it('orders -0 and 0 whatever comes first, and NaN wins', () => {
    expect(Object.is(reduceAll(step, {}, [0, -0]), zero)).toBe(true);
    expect(Object.is(reduceAll(step, {}, [-0, 0]), zero)).toBe(true);
    expect(reduceAll(step, {}, [1, NaN, 2])).toBeNaN();
  });

  it('rejects a non-number', () => {
    expect(() => reduceAll(step, { field: 'v' }, [{ v: '3' }])).toThrow(`${name}: field "v" is "3" (a string), not a number`);
  });

  it('is a combiner', () => checkCombiner(step, {}, fc.array(value, { maxLength: 30 })));
});
