import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasLarge, NumberOverflow, parseExact } from '../../../../steps/source-file/readers/exact-json.js';
import { same } from './same.js';

// Number tokens of every kind: safe, unsafe and huge integers, -0, floats, overflow and underflow.
const numberToken = fc.oneof(
  fc.constantFrom('0', '-0', '1e400', '-1E+400', '1e-400', '9007199254740991', '9007199254740992', '-9007199254740993', '18014398509481985'),
  fc.constantFrom('123456789012345678901234567890', '1.5e308', '1.8e308', `1${'0'.repeat(310)}`, `1${'0'.repeat(310)}.5`, '1e20', '0.30000000000000004'),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
);
const token: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberToken,
    // Strings that look like numbers are strings.
    fc.constantFrom('"12345678901234567890"', '"1e400"', 'true', 'null', '"\\u0031"', '"__proto__"'),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
    fc
      .array(fc.tuple(fc.constantFrom('a', 'b', '__proto__', '1', 'e400', 'a'), tie('value')), { maxLength: 4 })
      .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(',')}}`),
  ),
})).value;

/** The value with its BigInts as the doubles JSON.parse gives for them. */
function rounded(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(rounded);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v))
      Object.defineProperty(out, k, { value: rounded((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

function infinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (v !== null && typeof v === 'object') return Object.values(v).some(infinite);
  return false;
}

function bigints(v: unknown): bigint[] {
  if (typeof v === 'bigint') return [v];
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(bigints);
  return [];
}

describe('parseExact', () => {
  it('is JSON.parse, except that unsafe integers are exact BigInts and an overflow throws', () => {
    fc.assert(
      fc.property(token, fc.constantFrom('', ' ', '}', ','), (text, tail) => {
        const line = text + tail;
        let want: unknown;
        try {
          want = JSON.parse(line);
        } catch (err) {
          expect(() => parseExact(line)).toThrow((err as Error).message);
          return;
        }
        let got: unknown;
        try {
          got = parseExact(line);
        } catch (err) {
          // A number of the line beyond a double (an integer that long is a BigInt instead).
          expect(err).toBeInstanceOf(NumberOverflow);
          const { text, offset } = err as NumberOverflow;
          expect(line.slice(offset, offset + text.length)).toBe(text);
          expect(Math.abs(Number(text))).toBe(Infinity);
          return;
        }
        expect(infinite(got)).toBe(false);
        expect(same(rounded(got), want), line).toBe(true);
        for (const b of bigints(got)) expect(Number.isSafeInteger(Number(b))).toBe(false);
        expect(hasLarge(want) || bigints(got).length === 0).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the digits of integers past 2^53', () => {
    expect(parseExact('{"a":9007199254740993,"b":[18014398509481985, -123456789012345678901234567890],"c":1e20}')).toStrictEqual({
      a: 9007199254740993n,
      b: [18014398509481985n, -123456789012345678901234567890n],
      c: 1e20,
    });
    expect(parseExact('9007199254740993')).toBe(9007199254740993n);
    expect(parseExact('"9007199254740993"')).toBe('9007199254740993');
  });

  it('names the overflowing number and where it is', () => {
    const err = (() => {
      try {
        parseExact('{"x": "1e400", "y": 1e400}');
      } catch (e) {
        return e as NumberOverflow;
      }
    })();
    expect(err).toBeInstanceOf(NumberOverflow);
    expect(err!.message).toBe('the number 1e400 is too large for a 64-bit float (it would be Infinity)');
    expect(err!.offset).toBe(20);
  });
});
