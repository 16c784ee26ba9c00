import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { csvCell, csvEncoder } from '../../../../steps/kit/serialize/index.js';

const all = (batches: unknown[][], delimiter?: string): string => {
  const enc = csvEncoder(delimiter ? { delimiter } : {});
  return batches.map((b) => enc.batch(b)).join('') + enc.end();
};

const thrown = (fn: () => unknown): FlowError => {
  try {
    fn();
  } catch (error) {
    return error as FlowError;
  }
  throw new Error('did not throw');
};

describe('csv cells', () => {
  it('quotes per RFC 4180 only when needed', () => {
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('a,b', ';')).toBe('a,b');
    expect(csvCell('ünï ☃')).toBe('ünï ☃');
  });

  it('writes null as empty, an empty string as "", numbers as JS prints them', () => {
    expect([null, undefined, '', 1.5, 1e21, -0, NaN, Infinity, true, false, 12345678901234567890n].map((v) => csvCell(v))).toEqual([
      '',
      '',
      '""',
      '1.5',
      '1e+21',
      '0',
      '',
      '',
      'true',
      'false',
      '12345678901234567890',
    ]);
  });

  it('writes nested values as quoted JSON text', () => {
    expect(csvCell({ a: [1, 'x'] })).toBe('"{""a"":[1,""x""]}"');
    expect(csvCell([1, 2])).toBe('"[1,2]"');
    expect(csvCell({ n: 1n })).toBe('"{""n"":1}"');
  });
});

describe('csv encoder', () => {
  it('takes the header from the first record and follows it across batches', () => {
    const text = all([
      [
        { id: 1, name: 'Ann, B.' },
        { name: 'x"y', id: 2 },
      ],
      [{ id: 3 }],
    ]);
    expect(text).toBe('id,name\n1,"Ann, B."\n2,"x""y"\n3,\n');
  });

  it('quotes header names that need it', () => {
    expect(all([[{ 'a,b': 1, 'say "x"': 2, '': 3 }]])).toBe('"a,b","say ""x""",""\n1,2,3\n');
  });

  it('writes a non-object record as a single column named value', () => {
    expect(all([[1, 'two', null], [[3, 4]]])).toBe('value\n1\ntwo\n\n"[3,4]"\n');
    expect(csvEncoder().value(333332833333500000n)).toBe('value\n333332833333500000\n');
    expect(csvEncoder().value({ mean: 0.5 })).toBe('mean\n0.5\n');
  });

  it('rejects a later record with a field outside the header, naming it and the record', () => {
    const enc = csvEncoder();
    enc.batch([{ a: 1 }, { a: 2 }]);
    const error = thrown(() => enc.batch([{ a: 3, b: 4 }]));
    expect(error).toBeInstanceOf(FlowError);
    expect(error.toJSON()).toEqual({
      code: 'BAD_RECORD',
      message: 'cannot write record 2 as CSV: it has a field "b" that is not a column (the header, from the first record, is a)',
      hint: 'keep the same fields in every record (the `select` step), or write json or ndjson',
      record: { index: 2 },
    });
  });

  it('ignores undefined fields like JSON does', () => {
    expect(
      all([
        [
          { a: 1, b: undefined },
          { a: 2, c: undefined },
        ],
      ]),
    ).toBe('a\n1\n2\n');
  });

  it('rejects mixing objects and plain values', () => {
    expect(thrown(() => all([[{ a: 1 }, 5]])).message).toBe('cannot write record 1 as CSV: it has 5, not an object like the first record');
    expect(thrown(() => all([[5, { a: 1 }]])).code).toBe('BAD_RECORD');
  });

  it('writes nothing for no records, and uses another delimiter when asked', () => {
    expect(all([[]])).toBe('');
    expect(all([[{ a: 'x;y', b: 'x,y' }]], ';')).toBe('a;b\n"x;y";x,y\n');
    expect(() => csvEncoder({ delimiter: '"' })).toThrow(/delimiter/);
  });
});
