import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addNumber,
  addNumbers,
  addNumbersScalar,
  exactSum,
  meanResult,
  mergeExactSum,
  sumResult,
  type ExactSum,
} from '../../../../steps/kit/numbers/exact-sum.js';
import { exactScaledSum, roundRef } from './reference.js';

const SCALE = 1n << 1074n;

function sumOf(xs: number[]): ExactSum {
  const s = exactSum();
  for (const x of xs) addNumber(s, x);
  return s;
}

/** Doubles of every magnitude, subnormals and near-overflow values included. */
const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
const mixed = fc.oneof(
  anyFinite,
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  fc.constantFrom(0.1, -0.1, 1e308, -1e308, 2 ** 1020, Number.MIN_VALUE, 2 ** 53 - 1, -(2 ** 53) + 1),
);

describe('exact integer sums', () => {
  it('sums the squares of range(0, 1e6) exactly, like Python', () => {
    const s = exactSum();
    for (let i = 0; i < 1e6; i++) addNumber(s, i * i);
    expect(sumResult(s)).toBe(333332833333500000n);
  });

  it('gives a BigInt only when the exact sum is not a safe integer', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(sumResult(sumOf([max, max]))).toBe(18014398509481982n);
    expect(sumResult(sumOf([max, max, -max]))).toBe(max);
    expect(sumResult(sumOf([-max, -max]))).toBe(-18014398509481982n);
    expect(sumResult(sumOf([]))).toBe(0);
    expect(sumResult(sumOf([-0]))).toBe(0);
  });

  it('divides a BigInt sum by the count with one rounding', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(meanResult(sumOf([max, max, max]), 3)).toBe(max);
    expect(meanResult(sumOf([max, max - 1]), 2)).toBe(9007199254740990); // ...989.5 ties to even
    expect(meanResult(sumOf([1, 2]), 2)).toBe(1.5);
    expect(meanResult(sumOf([]), 0)).toBe(null);
  });
});

describe('exact float sums', () => {
  it('is math.fsum: [0.1] * 10 sums to 1', () => {
    expect(sumResult(sumOf(Array(10).fill(0.1)))).toBe(1);
    expect(sumResult(sumOf([1e100, 1, -1e100]))).toBe(1);
    expect(sumResult(sumOf([2 ** 53 - 1, 0.5]))).toBe(2 ** 53); // 9007199254740991.5 ties to even
  });

  it('rounds sums near a midpoint correctly, where summing the partials naively rounds twice', () => {
    expect(sumResult(sumOf([1, 2 ** -53, 2 ** -106]))).toBe(1 + 2 ** -52);
    expect(sumResult(sumOf([2 ** -106, 1, 2 ** -53]))).toBe(1 + 2 ** -52);
    expect(sumResult(sumOf([1, 2 ** -53, -(2 ** -106)]))).toBe(1);
    expect(meanResult(sumOf([2, 2 ** -52, 2 ** -105]), 2)).toBe(1 + 2 ** -52);
  });

  it('is correctly rounded for random sums that sit next to a midpoint', () => {
    // a, half an ulp of a, and a tiny nudge either way: the exact sum is just off a tie.
    const nearTie = fc
      .tuple(fc.double({ min: 1, max: 1e300, noNaN: true }), fc.integer({ min: 1, max: 200 }), fc.boolean(), fc.boolean())
      .map(([a, k, up, negate]) => {
        const exponent = Math.floor(Math.log2(a));
        const half = 2 ** (exponent - 53);
        const xs = [a, half, (up ? 1 : -1) * half * 2 ** -k];
        return negate ? xs.map((x) => -x) : xs;
      });
    fc.assert(
      fc.property(nearTie, fc.nat(5), (xs, rotation) => {
        const order = [...xs.slice(rotation % 3), ...xs.slice(0, rotation % 3)];
        if (rotation > 2) order.reverse();
        expect(sumResult(sumOf(order))).toBe(roundRef(exactScaledSum(xs), SCALE));
        expect(meanResult(sumOf(order), 3)).toBe(roundRef(exactScaledSum(xs), SCALE * 3n));
      }),
      { numRuns: 1000 },
    );
  });

  it('survives intermediate overflow: the exact sum decides', () => {
    expect(sumResult(sumOf([1e308, 1e308, -1e308]))).toBe(1e308);
    expect(sumResult(sumOf([1e308, 1e308]))).toBe(Infinity);
    expect(meanResult(sumOf([1e308, 1e308, 1e308]), 3)).toBe(1e308);
    expect(meanResult(sumOf([1e308, 1e308, 1e-300, -1e308]), 4)).toBe(2.5e307);
    // Values below 2^1020 whose partial sum grows past it are spilled to the exact BigInt.
    const xs = [...Array(20).fill(1e307), 3e-300, ...Array(19).fill(-1e307)];
    expect(sumResult(sumOf(xs))).toBe(roundRef(exactScaledSum(xs), SCALE));
    expect(sumResult(sumOf(xs))).toBe(1e307);
  });

  it('propagates infinities and NaN like IEEE addition', () => {
    expect(sumResult(sumOf([1, Infinity, 2]))).toBe(Infinity);
    expect(sumResult(sumOf([-Infinity, 1]))).toBe(-Infinity);
    expect(sumResult(sumOf([Infinity, -Infinity]))).toBeNaN();
    expect(sumResult(sumOf([NaN, 1]))).toBeNaN();
    expect(meanResult(sumOf([Infinity, 1]), 2)).toBe(Infinity);
  });

  it('is the correctly rounded exact sum, for any values', () => {
    fc.assert(
      fc.property(fc.array(mixed, { maxLength: 40 }), (xs) => {
        const got = sumResult(sumOf(xs));
        const exact = exactScaledSum(xs);
        const allSafe = xs.every((x) => Number.isSafeInteger(x));
        const want = allSafe ? exact / SCALE : roundRef(exact, SCALE);
        if (allSafe && typeof got === 'number') expect(BigInt(got)).toBe(want);
        else expect(got).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });

  it('means are the exact sum over the count, rounded once', () => {
    fc.assert(
      fc.property(fc.array(mixed, { minLength: 1, maxLength: 40 }), (xs) => {
        const want = roundRef(exactScaledSum(xs), SCALE * BigInt(xs.length));
        expect(meanResult(sumOf(xs), xs.length)).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });

  it('merges exactly: any split of the values gives the same state value', () => {
    fc.assert(
      fc.property(fc.array(mixed, { maxLength: 40 }), fc.nat(), (xs, cut) => {
        const at = xs.length === 0 ? 0 : cut % (xs.length + 1);
        const merged = mergeExactSum(structuredClone(sumOf(xs.slice(0, at))), structuredClone(sumOf(xs.slice(at))));
        expect(sumResult(merged)).toStrictEqual(sumResult(sumOf(xs)));
        expect(meanResult(merged, xs.length)).toStrictEqual(meanResult(sumOf(xs), xs.length));
      }),
      { numRuns: 1000 },
    );
  });
});

describe.each([
  ['addNumbers (bulk, WebAssembly)', addNumbers],
  ['addNumbersScalar (bulk, JS)', addNumbersScalar],
])('%s', (_, addBulk) => {
  const uniform = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }).map((k) => k / 2 ** 53);
  const anyNumber = fc.oneof(uniform, uniform, fc.double(), fc.integer(), fc.constantFrom(0, -0, 1, -1, 0.5, 2 ** 60, NaN, Infinity, -Infinity, 5e-324));

  /** Adding `values` in bulk gives exactly what adding them one by one gives, state flags included. */
  const expectSameAsOneByOne = (values: Float64Array) => {
    const bulk = exactSum();
    addBulk(bulk, values);
    const single = exactSum();
    for (const v of values) addNumber(single, v);
    expect(Object.is(sumResult(bulk), sumResult(single)) || sumResult(bulk) === sumResult(single)).toBe(true);
    expect(Object.is(meanResult(bulk, values.length), meanResult(single, values.length))).toBe(true);
    expect(bulk.float).toBe(single.float);
  };

  it('gives exactly what adding one by one gives, state flags included', () => {
    fc.assert(
      fc.property(fc.array(anyNumber, { maxLength: 300 }), (values) => {
        expectSameAsOneByOne(Float64Array.from(values));
      }),
      { numRuns: 500 },
    );
  });

  it('the same over many blocks, with other numbers at block edges and a sum that crosses zero', () => {
    fc.assert(
      fc.property(fc.array(uniform, { minLength: 1, maxLength: 50 }), fc.array(anyNumber, { maxLength: 5 }), (pattern, odd) => {
        const values = new Float64Array(2 * 8192 + 2000);
        for (let i = 0; i < values.length; i++) values[i] = pattern[i % pattern.length]! * (i < 9000 ? 1 : -1);
        [0, 1023, 1024, 8191, 8192, values.length - 1].forEach((at, j) => (values[at] = odd[j] ?? values[at]!));
        expectSameAsOneByOne(values);
      }),
      { numRuns: 40 },
    );
  });

  it('stays exact over more than 2^26 uniform values (the halves are folded in before they could round)', () => {
    const values = new Float64Array(2 ** 26 + 5).fill(1 - 2 ** -53);
    const bulk = exactSum();
    addBulk(bulk, values);
    // (1 - 2^-53) * (2^26 + 5), rounded once.
    const exact = (2n ** 53n - 1n) * (2n ** 26n + 5n);
    expect(sumResult(bulk)).toBe(Number(exact) / 2 ** 53);
  });

  it('adds runs of integers exactly past 2^53, between runs of uniform values', () => {
    const values = Float64Array.from({ length: 1_000_000 }, (_, i) => (i % 50_000 < 40_000 ? i * i : 2 ** -53 * (i % 7)));
    expectSameAsOneByOne(values);
    const squares = exactSum();
    addBulk(
      squares,
      Float64Array.from({ length: 1_000_000 }, (_, i) => i * i),
    );
    expect(sumResult(squares)).toBe(333332833333500000n);
  });

  it('adds to a sum that already holds values, and leaves nothing behind for the next call', () => {
    const s = exactSum();
    addNumber(s, 2 ** 60);
    addBulk(s, Float64Array.from([0.5, 0.25, 3]));
    addBulk(s, new Float64Array(0));
    expect(sumResult(s)).toBe(2 ** 60 + 3.75);
    const t = exactSum();
    addBulk(t, Float64Array.from([0, -0]));
    expect(sumResult(t)).toBe(0);
    expect(t.float).toBe(false); // zeros alone: still an integer sum, as one by one
  });
});
