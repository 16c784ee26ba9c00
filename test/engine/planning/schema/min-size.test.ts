import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minSizePattern } from '../../../../engine/planning/schema/min-size.js';
import { parsePipeline } from '../../../../engine/planning/parse.js';
import { MIN_CHUNK_BYTES, parseSize, SIZE_PATTERN } from '../../../../engine/planning/schema/schema.js';
import { checkPipeline } from '../../../../engine/planning/validate/validate.js';

const MULTIPLIERS: Record<string, bigint> = { '': 1n, B: 1n, k: 1000n, K: 1000n, KB: 1000n, KiB: 1024n, M: 10n ** 6n, MB: 10n ** 6n, MiB: 2n ** 20n };
for (const [unit, power] of [
  ['G', 3n],
  ['T', 4n],
] as const) {
  MULTIPLIERS[unit] = MULTIPLIERS[`${unit}B`] = 1000n ** power;
  MULTIPLIERS[`${unit}iB`] = 1024n ** power;
}

/** The exact size in bytes is at least `min` (as a fraction: digits / 10^decimals). */
function atLeast(text: string, min: number): boolean {
  const m = /^\s*(\d+)(?:\.(\d+))?\s*([a-zA-Z]*)\s*$/.exec(text)!;
  const decimals = m[2] ?? '';
  return BigInt(m[1]! + decimals) * MULTIPLIERS[m[3]!]! >= BigInt(min) * 10n ** BigInt(decimals.length);
}

/** min / unit as an exact decimal string. */
function boundary(min: number, unit: bigint): string {
  let rest = BigInt(min) % unit;
  let text = `${BigInt(min) / unit}`;
  if (rest !== 0n) text += '.';
  while (rest !== 0n) {
    rest *= 10n;
    text += `${rest / unit}`;
    rest %= unit;
  }
  return text;
}

describe('minSizePattern', () => {
  const size = new RegExp(SIZE_PATTERN, 'u');

  it.each([1024, 4096, 1, 1000, 65536, 1e6])('accepts exactly the sizes of at least %d bytes', (min) => {
    const pattern = new RegExp(minSizePattern(SIZE_PATTERN, min), 'u');
    // Numbers near the boundary of every unit: leading zeros, long fractions, spaces.
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 12 });
    const random = fc.tuple(digits, fc.option(digits, { nil: undefined })).map(([int, frac]) => (frac === undefined ? int : `${int}.${frac}`));
    const units = Object.keys(MULTIPLIERS);
    // And numbers that share a prefix with the boundary itself (min / the unit, written out exactly).
    const near = fc.tuple(fc.constantFrom(...units), fc.nat(40), digits).map(([unit, cut, tail]) => {
      const exact = boundary(min, MULTIPLIERS[unit]!);
      const head = exact.slice(0, Math.min(cut, exact.length));
      const text = head.includes('.') ? `${head}${tail}` : head === '' ? tail : `${head}.${tail}`;
      return [text, unit] as const;
    });
    const cases = fc.oneof(
      fc.tuple(random, fc.constantFrom(...units)),
      near.map(([text, unit]) => [text, unit] as [string, string]),
    );
    fc.assert(
      fc.property(cases, fc.constantFrom('', ' '), ([n, unit], space) => {
        const text = `${n}${space}${unit}`;
        expect(size.test(text)).toBe(true);
        expect(pattern.test(text), text).toBe(atLeast(text, min));
      }),
      { numRuns: 3000 },
    );
  });

  it('is exact at the boundaries of the chunk minimum', () => {
    const pattern = new RegExp(minSizePattern(SIZE_PATTERN, MIN_CHUNK_BYTES), 'u');
    const cases: [string, boolean][] = [
      ['1024', true],
      ['1023', false],
      ['1023.999', false],
      ['01024', true],
      ['1KiB', true],
      ['0.999KiB', false],
      ['1.024k', true],
      ['1.0239K', false],
      ['1.02400KB', true],
      ['0.0009765625MiB', true],
      ['0.0009765624MiB', false],
      ['8MiB', true],
      ['1 GB', true],
      ['1B', false],
      ['0', false],
      ['lots', false],
    ];
    for (const [text, ok] of cases) {
      expect([text, pattern.test(text)]).toEqual([text, ok]);
      if (ok) expect(parseSize(text)).toBeGreaterThanOrEqual(MIN_CHUNK_BYTES);
    }
  });
});

describe('chunking.bytes', () => {
  const check = (bytes: string) => {
    const src = parsePipeline(`source: { step: range, with: { end: 3 } }\nchunking: { bytes: ${bytes} }\n`, '/p.yaml');
    return checkPipeline(src.doc.toJS(), src);
  };

  it.each(['1', '1023', '"1B"', '"0.5KiB"', '"1.023k"'])('refuses %s, naming the minimum, located', (bytes) => {
    expect(check(bytes).errors.map((e) => e.toJSON())).toEqual([
      {
        code: 'INVALID_VALUE',
        message: `expected an integer >= 1024, or a size of at least 1KiB, such as "8MiB", "512KiB" or "1GB", got ${bytes.startsWith('"') ? 'the string ' + bytes : 'the integer ' + bytes}`,
        location: { file: '/p.yaml', line: 2, column: 20, length: bytes.length },
        path: 'chunking.bytes',
      },
    ]);
  });

  it.each([
    ['1024', 1024],
    ['"1KiB"', 1024],
    ['"1.5k"', 1500],
    ['"8MiB"', 8 * 2 ** 20],
  ])('takes %s', (bytes, value) => {
    const { errors, spec } = check(bytes);
    expect(errors).toEqual([]);
    expect(spec.chunking).toEqual({ bytes: value });
  });
});
