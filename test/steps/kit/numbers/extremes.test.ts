import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greatest, least } from '../../../../steps/kit/numbers/extremes.js';

const num = fc.oneof(fc.double(), fc.integer().map(BigInt), fc.bigInt(), fc.constantFrom(0, -0, NaN, 2 ** 60, 2n ** 60n));

describe('least and greatest', () => {
  it('are Math.min and Math.max on numbers', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (a, b) => {
        expect(Object.is(least(a, b), Math.min(a, b))).toBe(true);
        expect(Object.is(greatest(a, b), Math.max(a, b))).toBe(true);
      }),
    );
  });

  it('are commutative and associative over numbers and BigInts', () => {
    fc.assert(
      fc.property(num, num, num, (a, b, c) => {
        for (const f of [least, greatest]) {
          expect(Object.is(f(a, b), f(b, a))).toBe(true);
          expect(Object.is(f(f(a, b), c), f(a, f(b, c)))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
