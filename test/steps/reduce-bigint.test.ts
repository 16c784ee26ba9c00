// Integers past 2^53 reach the reducers as BigInts (the NDJSON and CSV readers keep them exact):
// sums, means, minimums, maximums and group keys use their exact value, whatever the chunking.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import group from '../../steps/reduce-group.js';
import sum from '../../steps/reduce-sum.js';
import mean from '../../steps/reduce-mean.js';
import min from '../../steps/reduce-min.js';
import max from '../../steps/reduce-max.js';
import top from '../../steps/reduce-top.js';
import { canon, checkCombiner, reduceAll } from './reduce-harness.js';

// Safe integers, floats, and BigInts just past 2^53 and far past it.
const value = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n }),
  fc.bigInt({ min: -(2n ** 80n), max: -(2n ** 53n) }),
  fc.constantFrom(null, 2 ** 60, 0.5),
);
const values = fc.array(value, { maxLength: 30 });

describe('integers past 2^53 as BigInts', () => {
  it('sum: exact, as a bare integer', () => {
    expect(reduceAll(sum, { field: 'n' }, [{ n: 9007199254740993n }, { n: 1 }, { n: 18014398509481985n }])).toBe(27021597764222979n);
    expect(reduceAll(sum, {}, [9007199254740993n, -9007199254740993n, 2])).toBe(2);
    // With a fraction the sum is a double: the exact sum rounded once.
    expect(reduceAll(sum, {}, [9007199254740993n, 0.5])).toBe(9007199254740994);
  });

  it('mean: the exact sum over the count, rounded once', () => {
    expect(reduceAll(mean, {}, [9007199254740993n, 9007199254740995n])).toBe(9007199254740994);
    expect(reduceAll(mean, { field: 'n' }, [{ n: 2n ** 64n }, { n: null }])).toBe(2 ** 64);
  });

  it('min and max: the exact value, compared with numbers', () => {
    const list = [9007199254740993n, 9007199254740992, 9007199254740994n, 1e300, -(2n ** 70n)];
    expect(reduceAll(max, {}, list)).toBe(1e300);
    expect(reduceAll(min, {}, list)).toBe(-(2n ** 70n));
    expect(reduceAll(max, {}, [9007199254740993n, 9007199254740992])).toBe(9007199254740993n);
    expect(reduceAll(min, {}, [9007199254740993n, NaN])).toBeNaN();
  });

  it('group: BigInt keys by value, sorted among the numbers; aggregates exact', () => {
    const rows = reduceAll(group, { by: 'k', aggregate: { n: 'count', s: { sum: 'v' }, lo: { min: 'v' }, hi: { max: 'v' }, m: { mean: 'v' } } }, [
      { k: 9007199254740993n, v: 9007199254740993n },
      { k: 1, v: 1 },
      { k: 9007199254740993n, v: 18014398509481985n },
      { k: 9007199254740992, v: 1 },
      { k: 'a', v: 2n ** 60n },
    ]);
    expect(canon(rows)).toBe(
      canon([
        { k: 1, n: 1, s: 1, lo: 1, hi: 1, m: 1 },
        { k: 9007199254740992, n: 1, s: 1, lo: 1, hi: 1, m: 1 },
        { k: 9007199254740993n, n: 2, s: 27021597764222978n, lo: 9007199254740993n, hi: 18014398509481985n, m: Number(13510798882111489n) },
        { k: 'a', n: 1, s: 2n ** 60n, lo: 2n ** 60n, hi: 2n ** 60n, m: 2 ** 60 },
      ]),
    );
  });

  it('top ranks a BigInt by its nearest double and keeps the record as it is', () => {
    expect(reduceAll(top, { n: 1, by: 'n' }, [{ n: 5 }, { n: 2n ** 64n }])).toEqual([{ n: 2n ** 64n }]);
  });

  it('each is a combiner over numbers and BigInts', () => {
    for (const step of [sum, mean, min, max]) checkCombiner(step as never, {}, values);
    checkCombiner(
      group as never,
      { by: 'k', aggregate: { s: { sum: 'v' }, lo: { min: 'v' }, hi: { max: 'v' } } },
      fc.array(fc.record({ k: value, v: value }), { maxLength: 30 }),
    );
  });
});
