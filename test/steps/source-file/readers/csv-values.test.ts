import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldValue, inferValue } from '../../../../steps/source-file/readers/csv.js';
import { plainNumber, TextCache, valueAt } from '../../../../steps/source-file/readers/csv-values.js';
import { same } from './same.js';

// Field text in odd forms: what the fast path must type exactly as fieldValue does, or hand on.
const digits = (max: number) => fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: max });
const numberish = fc.oneof(
  fc.tuple(fc.constantFrom('', '-', '+'), digits(18), fc.constantFrom('', '.', '.0'), fc.option(digits(18), { nil: '' })).map((p) => p.join('')),
  fc.constantFrom(
    '0',
    '-0',
    '-0.0',
    '007',
    '00',
    '0.5',
    '.5',
    '-.5',
    '1.',
    '1e5',
    '1E-3',
    '-1.5e+3',
    '1e',
    '1.2.3',
    '--1',
    '-',
    '0x10',
    '1_000',
    ' 1',
    '1 ',
    'NaN',
    'Infinity',
    '-Infinity',
    'true',
    'TRUE',
    'True',
    'tRUE',
    'false',
    'FALSE',
    'False',
    'f',
    't',
    '9007199254740993',
    '123456789012345',
    '1234567890123456',
    '999999999999999.9',
    '0.000000000000001',
    'é1',
    '1😀',
  ),
  fc.string({ maxLength: 6 }),
);

describe('valueAt', () => {
  it('types a field within a line exactly as fieldValue types its slice', () => {
    const cache = new TextCache();
    fc.assert(
      fc.property(numberish, fc.string({ maxLength: 3 }), fc.constantFrom('', ',', '5', '.5', 'e3', '\r\n'), fc.boolean(), (text, before, after, infer) => {
        const line = before + text + after;
        const got = valueAt(line, before.length, before.length + text.length, infer, cache);
        if (!same(got, fieldValue(text, false, infer))) expect(got).toBe(fieldValue(text, false, infer));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads plain numbers itself, and hands every other form to inferValue', () => {
    const plain: [string, number][] = [
      ['0', 0],
      ['-0', -0],
      ['-0.0', -0],
      ['33', 33],
      ['-12', -12],
      ['0.5', 0.5],
      ['1.05', 1.05],
      ['123456789012345', 123456789012345],
      ['-99999999999999.9', -99999999999999.9],
      ['0.10', 0.1],
    ];
    for (const [text, value] of plain) {
      expect(Object.is(plainNumber(text, 0, text.length), value)).toBe(true);
      expect(Object.is(inferValue(text), value)).toBe(true);
    }
    // Each of these is a fallback of plainNumber (NaN: not mine), and inferValue decides.
    const fallbacks = [
      '+5',
      '.5',
      '-.5',
      '1.',
      '007',
      '00',
      '1e5',
      '1E-3',
      '-',
      '--1',
      '1.2.3',
      '12a',
      '0x10',
      '1 ',
      '1234567890123456',
      '9007199254740993',
      '0.000000000000001',
      '-Infinity',
      '',
    ];
    for (const text of fallbacks) {
      expect(plainNumber(text, 0, text.length), text).toBeNaN();
      expect(same(valueAt(text, 0, text.length, true, new TextCache()), fieldValue(text, false, true)), text).toBe(true);
    }
  });

  it('does not read past the end of the field', () => {
    expect(plainNumber('10,5', 0, 2)).toBe(10);
    expect(plainNumber('-0', 0, 1)).toBeNaN(); // "-" alone, though a 0 follows
    expect(plainNumber('1.5', 0, 2)).toBeNaN(); // "1."
    expect(valueAt('x0', 1, 1, true, new TextCache())).toBeNull();
  });
});

describe('TextCache', () => {
  it('gives the slice, the same string object for a text seen before', () => {
    const cache = new TextCache();
    const a = cache.get('LAS,SFO', 0, 3);
    expect(a).toBe('LAS');
    expect(cache.get('xLAS', 1, 4)).toBe(a);
    expect(cache.get('SFO', 0, 3)).toBe('SFO');
    expect(cache.get('ab', 0, 0)).toBe('');
    expect(cache.get('é😀ab', 0, 3)).toBe('é😀');
    expect(cache.get('a longer text than 24 chars.', 0, 28)).toBe('a longer text than 24 chars.');
  });

  it('stays right when full and for texts whose hashes collide', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 5000 }), (texts) => {
        const cache = new TextCache();
        for (const t of [...texts, ...texts]) expect(cache.get(`,${t},`, 1, t.length + 1)).toBe(t);
      }),
      { numRuns: 20 },
    );
    const cache = new TextCache();
    for (let i = 0; i < 10000; i++) expect(cache.get(`${i}`, 0, `${i}`.length)).toBe(`${i}`);
    // "Aa" and "BB" have the same 31-hash in Java's scheme; ours must still tell them apart.
    expect([cache.get('AaAaX', 0, 5), cache.get('BBBBX', 0, 5), cache.get('AaBBX', 0, 5)]).toEqual(['AaAaX', 'BBBBX', 'AaBBX']);
  });
});
