import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateKey, hasLarge, NumberOverflow, parseExact } from '../../../../steps/source-file/readers/exact-json.js';
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

/** How often `key` is a key in the text (the generator writes keys as JSON.stringify does, then ':'). */
function countKey(line: string, key: string): number {
  return line.split(`${JSON.stringify(key)}:`).length - 1;
}

/** Whether some object of valid JSON text repeats a key: a reference tokenizer, slow and plain. */
function repeatsKey(text: string): boolean {
  let i = 0;
  const blanks = () => {
    while (/[ \t\r\n]/.test(text[i] ?? '')) i++;
  };
  const str = (): string => {
    const start = i;
    for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): boolean => {
    blanks();
    if (text[i] === '{') {
      const seen = new Set<string>();
      let repeated = false;
      i++;
      blanks();
      if (text[i] === '}') return (i++, false);
      for (;;) {
        blanks();
        const key = str();
        repeated ||= seen.has(key);
        seen.add(key);
        blanks();
        i++; // ':'
        repeated = value() || repeated;
        blanks();
        if (text[i++] === '}') return repeated;
      }
    }
    if (text[i] === '[') {
      let repeated = false;
      i++;
      blanks();
      if (text[i] === ']') return (i++, false);
      for (;;) {
        repeated = value() || repeated;
        blanks();
        if (text[i++] === ']') return repeated;
      }
    }
    if (text[i] === '"') return (str(), false);
    while (i < text.length && !/[,\]} \t\r\n]/.test(text[i]!)) i++;
    return false;
  };
  return value();
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
          if (err instanceof DuplicateKey) {
            // A key JSON.parse would have kept once: the same text before, in the object it names.
            expect(line.charCodeAt(err.offset)).toBe(34);
            expect(JSON.parse(line.slice(err.offset, line.indexOf('":', err.offset) + 1))).toBe(err.key);
            expect(countKey(line, err.key)).toBeGreaterThan(1);
            return;
          }
          // A number of the line beyond a double (an integer that long is a BigInt instead).
          expect(err).toBeInstanceOf(NumberOverflow);
          const { text, offset } = err as NumberOverflow;
          expect(line.slice(offset, offset + text.length)).toBe(text);
          expect(Math.abs(Number(text))).toBe(Infinity);
          return;
        }
        expect(infinite(got)).toBe(false);
        expect(repeatsKey(line)).toBe(false);
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

  it('throws on a repeated key, wherever it is and however written; a key-like string is no key', () => {
    const cases: [string, string, number][] = [
      ['{"a":1,"a":2}', 'a', 7],
      ['{"a" :1, "b":2 , "a"\t: 3}', 'a', 17],
      ['[1,{"x":{"k":1,"k":[]}}]', 'k', 15],
      ['{"a":1,"\\u0061":2}', 'a', 7],
      ['{"__proto__":1,"__proto__":2}', '__proto__', 15],
      ['{"s":"\\":","t":"\\" :","s":0}', 's', 22],
    ];
    for (const [text, key, offset] of cases) {
      const err = (() => {
        try {
          parseExact(text);
        } catch (e) {
          return e as DuplicateKey;
        }
      })();
      expect(err, text).toBeInstanceOf(DuplicateKey);
      expect([err!.key, err!.offset]).toEqual([key, offset]);
    }
    expect(parseExact('{"s":"\\":\\" :","t":{"s":1},"u":[{"s":2},{"s":3}]}')).toEqual({ s: '":" :', t: { s: 1 }, u: [{ s: 2 }, { s: 3 }] });
    expect(parseExact('{"a" : 1, "b"\n:\t2}')).toEqual({ a: 1, b: 2 });
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
