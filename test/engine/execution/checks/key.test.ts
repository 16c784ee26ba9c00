import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyWriter, keyOf } from '../../../../engine/execution/checks/key.js';

const keyHash = (r: unknown, fields: string[]) => keyOf(r, fields)?.hash;
const keyText = (r: unknown, fields: string[]) => keyOf(r, fields)?.key;

const ab = ['a', 'b'];

describe('unique keys', () => {
  it('equal keys get equal hashes and texts; 0 and -0, and every NaN, are one value', () => {
    for (const [x, y] of [
      [
        { a: 1, b: 'x' },
        { a: 1, b: 'x', c: 9 },
      ],
      [
        { a: 0, b: 'x' },
        { a: -0, b: 'x' },
      ],
      [
        { a: NaN, b: true },
        { a: Number('x'), b: true },
      ],
    ]) {
      expect(keyHash(x, ab)).toBe(keyHash(y, ab));
      expect(keyText(x, ab)).toBe(keyText(y, ab));
    }
  });

  it('keys of other values or types differ, also where a join of the parts would not tell', () => {
    const pairs = [
      [
        { a: 1, b: 'x' },
        { a: '1', b: 'x' },
      ],
      [
        { a: 'ab', b: 'c' },
        { a: 'a', b: 'bc' },
      ],
      [
        { a: true, b: 'x' },
        { a: 'true', b: 'x' },
      ],
      [
        { a: [1], b: 'x' },
        { a: '[1]', b: 'x' },
      ],
    ];
    for (const [x, y] of pairs) {
      expect(keyText(x, ab)).not.toBe(keyText(y, ab));
      expect(keyHash(x, ab)).not.toBe(keyHash(y, ab));
    }
  });

  it('characters past 0xff are kept whole: a wide string is not a narrow one with the same bytes', () => {
    const wide = { a: 'ĉx', b: 'é' };
    expect(keyText(wide, ab)).toBe(keyText({ ...wide }, ab));
    expect(keyText(wide, ab)).not.toBe(keyText({ a: '\u0009\u0001x\u0000', b: 'é' }, ab));
    expect(keyText({ a: 'ĉ', b: 'x' }, ab)).not.toBe(keyText({ a: 'ċ', b: 'x' }, ab));
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (x, y) => {
        expect(keyText({ a: x, b: 'k' }, ab) === keyText({ a: y, b: 'k' }, ab)).toBe(x === y);
      }),
    );
  });

  it('a key with a null or missing part has none', () => {
    expect(keyHash({ a: 1 }, ab)).toBeUndefined();
    expect(keyText({ a: 1, b: null }, ab)).toBeUndefined();
    expect(keyHash('text', ab)).toBeUndefined();
  });

  it('hashes are integers below 2^52, so a Float64Array holds them exactly', () => {
    fc.assert(
      fc.property(fc.string(), fc.double(), (s, d) => {
        const h = keyHash({ a: s, b: d }, ab)!;
        expect(Number.isInteger(h)).toBe(true);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThan(2 ** 52);
      }),
    );
  });

  it('texts are equal exactly when the keys are', () => {
    const part = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('1', '', 'a', 'a1', '1a'), fc.boolean());
    fc.assert(
      fc.property(part, part, part, part, (a1, b1, a2, b2) => {
        const same = Object.is(a1, a2) && Object.is(b1, b2);
        expect(keyText({ a: a1, b: b1 }, ab) === keyText({ a: a2, b: b2 }, ab)).toBe(same);
      }),
    );
  });
});

describe('the key bytes of every kind of part', () => {
  // Parts of each kind and length class: short and long (128 characters and more) text, text past 0xff, numbers, words, BigInts, objects.
  const long = fc.string({ minLength: 120, maxLength: 140 });
  const part = fc.oneof(
    fc.constantFrom('', 'a', '1', 'true', '[1]', 'ĉ', '\u0000'),
    fc.string({ maxLength: 4 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
    long,
    long.map((s) => `${s}ĉ`),
    fc.constantFrom(0, -0, 1, NaN, -1.5, 2 ** 60, Infinity),
    fc.boolean(),
    fc.constantFrom(1n, 2n ** 64n, -3n),
    fc.constantFrom([1], { a: 1 }, [], {}),
  );
  // Equal keys: the same value (SameValueZero: 0 is -0, NaN is NaN), or objects with the same JSON.
  const same = (x: unknown, y: unknown) =>
    typeof x === 'object' && typeof y === 'object' ? JSON.stringify(x) === JSON.stringify(y) : x === y || (Number.isNaN(x) && Number.isNaN(y));

  it('texts are equal exactly when the keys are, and equal keys hash alike', () => {
    fc.assert(
      fc.property(part, part, part, part, (a1, b1, a2, b2) => {
        const x = keyOf({ a: a1, b: b1 }, ab)!;
        const y = keyOf({ a: a2, b: b2 }, ab)!;
        const equal = same(a1, a2) && same(b1, b2);
        expect(x.key === y.key).toBe(equal);
        if (equal) expect(x.hash).toBe(y.hash);
      }),
      { numRuns: 2000 },
    );
  });

  it('one text for a key, also past 127 characters and past 0xff', () => {
    const long = 'x'.repeat(200);
    expect(keyText({ a: long, b: 'ĉ'.repeat(130) }, ab)).toBe(keyText({ a: long.slice(0, 100) + long.slice(100), b: 'ĉ'.repeat(130) }, ab));
    expect(keyText({ a: long, b: 'y' }, ab)).not.toBe(keyText({ a: long + 'x', b: 'y' }, ab));
    // A field Object.prototype has is read only when it is the record's own.
    expect(keyOf({ a: 1, b: 2 }, ['a', 'constructor'])).toBeUndefined();
    expect(keyOf({ a: 1, b: 2, constructor: 'c' }, ['a', 'constructor'])).toBeDefined();
  });
});

describe('one writer for many keys', () => {
  it('gives each key the bytes and hash a fresh writer gives it, as its buffer grows and parts take the slow road', () => {
    const part = fc.oneof(fc.string({ maxLength: 130 }), fc.string({ unit: 'binary', maxLength: 5 }), fc.integer(), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.record({ a: part, b: part }), { maxLength: 400 }), (records) => {
        const writer = new KeyWriter(ab);
        for (const record of records) {
          const start = writer.length;
          const hash = writer.add(record);
          const alone = keyOf(record, ab);
          expect(hash < 0 ? undefined : { hash, key: Buffer.from(writer.bytes.subarray(start, writer.length)).toString('latin1') }).toEqual(alone);
        }
      }),
      { numRuns: 50 },
    );
  });
});
