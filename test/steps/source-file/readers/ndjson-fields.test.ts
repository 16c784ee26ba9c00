import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateKey, parseExact } from '../../../../steps/source-file/readers/exact-json.js';
import { linePicker, pick, wholeLinePicker } from '../../../../steps/source-file/readers/ndjson-fields.js';
import { same } from './same.js';

// Keys the lines use: wanted ones, ones Object.prototype has, ones that need escapes, an index.
const keyPool = ['a', 'b', 'delay', 'origin', '__proto__', 'constructor', 'é', '😀', 'k"q', 'back\\slash', '', '1', 'tab\t'];
const key = fc.oneof(fc.constantFrom(...keyPool), fc.string({ maxLength: 4 }));

// A key token: as JSON.stringify writes it, or with every character \u-escaped.
const keyToken = fc.tuple(key, fc.boolean()).map(([k, escape]) => (escape ? `"${unicodeEscape(k)}"` : JSON.stringify(k)));

function unicodeEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

// Numbers in every JSON form: -0, overflow, underflow, integers past 2^53, exponents, fractions.
const numberToken = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '-0.0',
    '1e400',
    '-1e400',
    '1e-400',
    '1E+2',
    '2e-3',
    '0.1',
    '123456789012345',
    '1234567890123456',
    '9007199254740993',
    '12345678901234567890',
    '34273137288196334',
    '-95316136346567134',
    '-999999999999999',
    '0.30000000000000004',
    '5e-324',
    '1.7976931348623157e308',
  ),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
);
const stringToken = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"a\\/b"', '"\\u00e9\\n"', '"\\ud83d\\ude00"', '"\\ud800"', '"q\\"q"', '"\\\\"', '"é😀"', '"\u2028"'),
);
const valueToken = fc.oneof(
  { weight: 3, arbitrary: numberToken },
  { weight: 3, arbitrary: stringToken },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
);
// JSON's four blanks, and none (the compact form most files use).
const blank = fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(' ', '\t', '\r', '  ', ' \t\r ') });

const objectLine = fc
  .tuple(fc.array(fc.tuple(keyToken, valueToken, blank, blank, blank, blank), { maxLength: 7 }), blank, blank, blank)
  .map(([members, open, close, lead]) => {
    const body = members.map(([k, v, b1, b2, b3, b4]) => `${b1}${k}${b2}:${b3}${v}${b4}`).join(',');
    return `${lead}{${open}${body}${members.length === 0 ? close : ''}}`;
  });

// A valid line with one random change: a character dropped, inserted or replaced, or a cut.
const corrupted = fc
  .tuple(objectLine, fc.nat(), fc.constantFrom('"', ',', '}', '{', ':', '\\', 'x', '\u0001', '\t', '0', '-', '.', 'e', ' ', '[', ']'), fc.nat(3))
  .map(([line, at, ch, how]) => {
    const i = line.length === 0 ? 0 : at % line.length;
    if (how === 0) return line.slice(0, i) + line.slice(i + 1);
    if (how === 1) return line.slice(0, i) + ch + line.slice(i);
    if (how === 2) return line.slice(0, i) + ch + line.slice(i + 1);
    return line.slice(0, i);
  });

const line = fc.oneof(
  { weight: 5, arbitrary: objectLine },
  { weight: 3, arbitrary: corrupted },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
);
const fields = fc.uniqueArray(key, { maxLength: 5 });
// What may follow a line inside a decoded block: nothing, the next line, or a '\r' the reader cut off.
const after = fc.constantFrom('', '\n{"a":1}', '\r\n', '\r\n"a"', '\n');

/** What the picker must give: parseExact (JSON.parse with exact numbers, exact-json.test.ts) then pick, or the same error. */
function expected(text: string, wanted: string[]): { value?: unknown; error?: string } {
  try {
    return { value: pick(parseExact(text), wanted) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function actual(read: (s: string, start: number, end: number) => unknown, before: string, text: string, rest: string): { value?: unknown; error?: string } {
  try {
    return { value: read(before + text + rest, before.length, before.length + text.length) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function check(got: { value?: unknown; error?: string }, want: { value?: unknown; error?: string }, text: string): void {
  if (want.error !== undefined || got.error !== undefined) expect({ text, error: got.error }).toEqual({ text, error: want.error });
  else if (!same(got.value, want.value)) expect({ text, value: got.value }).toStrictEqual({ text, value: want.value });
}

describe('linePicker', () => {
  it('gives parseExact-then-pick for any line, or throws the same error', () => {
    fc.assert(
      fc.property(fields, fc.array(fc.tuple(line, after), { minLength: 1, maxLength: 8 }), (wanted, lines) => {
        // One picker for many lines, as a reader uses it: a remembered shape must not leak.
        const read = linePicker(wanted);
        for (const [text, rest] of lines) check(actual(read, 'x\n', text, rest), expected(text, wanted), text);
      }),
      { numRuns: 3000 },
    );
  });

  it('whole records: gives parseExact for any line (key order, -0 and prototypes too), or throws the same error', () => {
    const whole = (text: string): { value?: unknown; error?: string } => {
      try {
        return { value: parseExact(text) };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(line, after), { minLength: 1, maxLength: 8 }), (lines) => {
        // One picker for many lines, as a reader uses it: a learned shape must not leak into the next line.
        const read = wholeLinePicker();
        for (const [text, rest] of lines) check(actual(read, 'x\n', text, rest), whole(text), text);
      }),
      { numRuns: 3000 },
    );
    // Lines of one shape, then the same keys repeated or reordered, then integer-like keys.
    const read = wholeLinePicker();
    for (const text of [
      '{"b":1,"a":"x"}',
      '{"b":-0,"a":"y"}',
      '{"b":1,"a":"x","b":2}',
      '{"a":"x","b":1}',
      '{"b":1,"1":2,"__proto__":3}',
      '{"b":1,"1":2,"__proto__":3}',
    ]) {
      check(actual(read, '', text, '\n'), whole(text), text);
    }
  });

  it('follows lines of one shape whose values change, then a line of another shape', () => {
    // Repeated keys, and keys with RegExp syntax: a shape is matched by a RegExp (ndjson-shape.ts).
    const shape = fc.array(fc.constantFrom('a', 'b', 'c', 'delay', '__proto__', '.', 'a*', '(', '[]', '$^', '|', '?', '/', '{1}'), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(shape, fc.array(fc.array(valueToken, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 }), fields, (keys, rows, wanted) => {
        const read = linePicker([...wanted, ...keys.slice(0, 2)]);
        const texts = rows.map((values) => `{${keys.map((k, i) => `${JSON.stringify(k)}:${values[i]}`).join(',')}}`);
        texts.push(
          `{${[...keys]
            .reverse()
            .map((k) => `${JSON.stringify(k)}:1`)
            .join(',')}}`,
          texts[0]!,
        );
        for (const text of texts) check(actual(read, '', text, '\n'), expected(text, [...new Set([...wanted, ...keys.slice(0, 2)])]), text);
      }),
      { numRuns: 1000 },
    );
  });

  it('stays exact past the number of shapes it compiles', () => {
    const read = linePicker(['k3', 'a']);
    for (let i = 0; i < 200; i++) {
      const keys = Array.from({ length: 1 + (i % 9) }, (_, j) => `k${(i * 7 + j) % 13}`);
      const text = `{${keys.map((k, j) => `"${k}":${j % 2 ? `"${i}"` : i * j}`).join(',')},"a":${i % 3 ? 'null' : '-0'}}`;
      check(actual(read, '', text, ''), expected(text, ['k3', 'a']), text);
    }
  });

  it('keeps numbers exactly, -0 included; an unsafe integer is a BigInt, an overflow an error', () => {
    const read = linePicker(['n']);
    // 34273137288196334: adding up its digits one by one in doubles gives another number.
    for (const n of ['-0', '123456789012345', '1234567890123456', '0.1', '-0.0', '5e-324', '1e-400', '1.5e300', '1e20']) {
      const got = read(`{"n":${n}}`, 0, n.length + 6) as { n: number };
      expect(Object.is(got.n, JSON.parse(n))).toBe(true);
    }
    for (const n of ['34273137288196334', '9007199254740993', '-9007199254740992', '123456789012345678901234567890']) {
      expect(read(`{"n":${n}}`, 0, n.length + 6)).toStrictEqual({ n: BigInt(n) });
    }
    for (const n of ['1e400', '-1e400', '1.5E+309']) expect(() => read(`{"m":${n},"n":1}`, 0, n.length + 12)).toThrow(/too large for a 64-bit float/);
    expect(Object.is((read('{"n":-0}', 0, 8) as { n: number }).n, -0)).toBe(true);
  });

  it('makes __proto__ an own field, never the prototype; a repeated key throws, wanted or not, shaped or not', () => {
    const read = linePicker(['__proto__', 'a']);
    const got = read('{"__proto__":{"x":1},"a":1,"b":2}', 0, 33) as Record<string, unknown>;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.keys(got)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(got, '__proto__')!.value).toEqual({ x: 1 });
    // After a learned shape too: a repeated key never matches one.
    for (const line of [
      '{"__proto__":1,"a":1,"__proto__":2}',
      '{"a":1,"b":2,"b":3}',
      '{"b": 1, "a": 2, "b" : 3}',
      '{"a":1,"b":{"c":1,"c":2}}',
      '{"a":1,"\\u0061":2}',
    ]) {
      expect(() => read(line, 0, line.length), line).toThrow(DuplicateKey);
    }
    expect(read('{"a":1,"b":2}', 0, 13)).toEqual({ a: 1 });
    const flat = read('{"__proto__":"p"}', 0, 17) as Record<string, unknown>;
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(flat, '__proto__')!.value).toBe('p');
  });

  it('gives fields in the order asked for, skipping absent ones; non-objects unchanged', () => {
    const read = linePicker(['b', 'zz', 'a']);
    expect(Object.keys(read('{"a":1,"c":2,"b":3}', 0, 19) as object)).toEqual(['b', 'a']);
    expect(read('[1,2]', 0, 5)).toEqual([1, 2]);
    expect(read(' "s" ', 0, 5)).toBe('s');
    expect(read('null', 0, 4)).toBe(null);
  });

  it('throws what JSON.parse throws for a malformed line', () => {
    const read = linePicker(['a']);
    for (const bad of ['{"a":1,}', '{"a":01}', '{"a":"\u0001"}', '{"a":1}x', '{"a" 1}', '{"a":tru}', '{"a":"\\x"}', '{']) {
      const want = expected(bad, ['a']).error;
      expect(want).toBeDefined();
      expect(() => read(bad, 0, bad.length)).toThrowError(want);
    }
    // Lines of a learned shape with a raw control character in a string, or a bad number.
    const shaped = linePicker(['a', 'b']);
    expect(shaped('{"a":"x","b":1}', 0, 15)).toEqual({ a: 'x', b: 1 });
    for (const bad of ['{"a":"x\ty","b":1}', '{"a":"\u0001","b":1}', '{"a":"x","b":01}', '{"a":"x","b":1.}', '{"a":"x","b":-}']) {
      expect(() => shaped(bad, 0, bad.length)).toThrowError(expected(bad, ['a']).error);
    }
  });
});
