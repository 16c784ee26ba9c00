import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pow2, ratioToDouble, toScaled } from '../../../../steps/kit/numbers/rational.js';
import { dyadic, roundRef } from './reference.js';

describe('toScaled', () => {
  it('is the exact value times 2^1074', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const { m, k } = dyadic(x);
        expect(toScaled(x)).toBe(m << BigInt(1074 - k));
      }),
      { numRuns: 2000 },
    );
    expect(toScaled(Number.MIN_VALUE)).toBe(1n);
    expect(toScaled(-1)).toBe(-(1n << 1074n));
    expect(toScaled(-0)).toBe(0n);
  });

  it('rejects non-finite values', () => {
    expect(() => toScaled(Infinity)).toThrow(RangeError);
    expect(() => toScaled(NaN)).toThrow(RangeError);
  });
});

describe('pow2', () => {
  it('is 2^e for every exponent, subnormals included, and saturates outside', () => {
    let x = Number.MIN_VALUE;
    for (let e = -1074; e <= 1023; e++, x *= 2) expect(pow2(e)).toBe(x);
    expect(pow2(-1075)).toBe(0);
    expect(pow2(1024)).toBe(Infinity);
  });
});

describe('ratioToDouble', () => {
  it('matches IEEE division when both operands are exact doubles', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.integer({ min: 1, max: 2 ** 53 - 1 }), (p, q) => {
        expect(Object.is(ratioToDouble(BigInt(p), BigInt(q)), p / q || 0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds huge, tiny and subnormal ratios correctly (against a decimal reference)', () => {
    const big = fc.bigInt({ min: -(1n << 1200n), max: 1n << 1200n });
    fc.assert(
      fc.property(big, fc.bigInt({ min: 1n, max: 1n << 1200n }), (p, q) => {
        expect(ratioToDouble(p, q)).toBe(roundRef(p, q));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 60n }), fc.integer({ min: 1000, max: 1140 }), (p, e) => {
        const q = 1n << BigInt(e);
        expect(ratioToDouble(p, q)).toBe(roundRef(p, q));
      }),
      { numRuns: 500 },
    );
  });

  it('breaks ties to even, in the subnormal range too', () => {
    expect(ratioToDouble(3n, 1n << 1075n)).toBe(2 * Number.MIN_VALUE); // 1.5 ulp -> 2
    expect(ratioToDouble(5n, 1n << 1075n)).toBe(2 * Number.MIN_VALUE); // 2.5 ulp -> 2
    expect(ratioToDouble(1n, 1n << 1075n)).toBe(0); // half of the least subnormal -> 0
    expect(ratioToDouble((1n << 53n) + 1n, 1n)).toBe(2 ** 53); // odd midpoint -> even
    expect(ratioToDouble((1n << 53n) + 3n, 1n)).toBe(2 ** 53 + 4);
    expect(ratioToDouble(-7n, 2n)).toBe(-3.5);
  });

  it('overflows to Infinity only past the largest double', () => {
    const max = BigInt(Number.MAX_VALUE);
    expect(ratioToDouble(max, 1n)).toBe(Number.MAX_VALUE);
    expect(ratioToDouble(max + (1n << 969n) - 1n, 1n)).toBe(Number.MAX_VALUE);
    expect(ratioToDouble(max + (1n << 970n), 1n)).toBe(Infinity);
    expect(ratioToDouble(-(max * 4n), 2n)).toBe(-Infinity);
    expect(() => ratioToDouble(1n, 0n)).toThrow(RangeError);
  });
});
