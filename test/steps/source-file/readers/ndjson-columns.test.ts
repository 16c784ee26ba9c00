// The NDJSON columns reader (fast path ndjsonColumns) against the record path it stands in for: a
// chunk it reads gives, row for row, the records eachNdjson gives with the same fields; a chunk it
// cannot read (undefined) is one the record path reads otherwise or refuses.
import { afterEach, describe, expect, it } from 'vitest';
import { ndjsonColumns } from '../../../../steps/source-file/readers/ndjson-columns.js';
import { eachNdjson } from '../../../../steps/source-file/readers/ndjson.js';
import { sizes } from '../../../../steps/source-file/readers/byte-range.js';
import { columnSizes } from '../../../../steps/source-file/readers/ndjson-columns.js';
import { columnRecords, tempDir, write } from './helpers.js';

const dir = tempDir();
let n = 0;

/** The range of a whole file holding `text`. */
function file(text: string | Buffer) {
  const path = write(dir, `c${n++}.ndjson`, text);
  const size = Buffer.byteLength(text);
  return { file: path, name: 'data.ndjson', start: 0, end: size };
}

function records(range: ReturnType<typeof file>, fields: string[]): unknown[] {
  const out: unknown[] = [];
  eachNdjson({ ...range, fields }, (r) => out.push(r));
  return out;
}

/** The columns' rows, which must be the records' (undefined when the chunk is not read as columns). */
function viaColumns(text: string | Buffer, fields: string[]): unknown[] | undefined {
  const range = file(text);
  const batch = ndjsonColumns({ ...range, fields });
  if (!batch) return undefined;
  const rows = columnRecords(batch);
  expect(rows).toStrictEqual(records(range, fields));
  return rows;
}

const saved = { ...sizes, ...columnSizes };
afterEach(() => {
  sizes.read = saved.read;
  columnSizes.piece = saved.piece;
});

describe('ndjsonColumns', () => {
  it('reads the wanted fields of lines of one shape, as the records give them', () => {
    const text = '{"date":"2001-01-01 00:01:00","delay":33,"origin":"LAS"}\n{"date":"2001-01-01 00:02:00","delay":-5,"origin":"ATL"}\n';
    expect(viaColumns(text, ['origin', 'delay'])).toEqual([
      { origin: 'LAS', delay: 33 },
      { origin: 'ATL', delay: -5 },
    ]);
  });

  it('takes every JSON scalar as parseExact does: floats, exponents, -0, BigInts past 2^53, words, escapes, UTF-8', () => {
    const lines = [
      '{"a":1.5,"b":"x","c":true}',
      '{"a":-0,"b":"\\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t","c":false}',
      '{"a":12345678901234567890,"b":"\\u00e9\\ud83d\\ude00","c":null}',
      '{"a":1e-7,"b":"é😀 naïve","c":true}',
      '{"a":-2.5E+3,"b":"","c":null}',
      '{"a":9007199254740993,"b":"x","c":false}',
      '{"a":0,"b":"x","c":true}',
    ];
    const rows = viaColumns(lines.join('\n'), ['a', 'b', 'c'])!;
    expect(rows.map((r) => (r as { a: unknown }).a)).toEqual([1.5, -0, 12345678901234567890n, 1e-7, -2500, 9007199254740993n, 0]);
    expect(Object.is((rows[1] as { a: number }).a, -0)).toBe(true);
    expect((rows[2] as { b: string }).b).toBe('é😀');
  });

  it('skips blank lines, takes CRLF line ends, a last line without one and a byte-order mark', () => {
    const text = '\uFEFF{"a":1,"b":2}\r\n\r\n   \t\n{"a":3,"b":4}\r\n\n{"a":5,"b":6}';
    expect(viaColumns(text, ['a'])).toEqual([{ a: 1 }, { a: 3 }, { a: 5 }]);
  });

  it('a wanted field the lines do not have has no column, as the records lack it', () => {
    expect(viaColumns('{"a":1}\n{"a":2}\n', ['a', 'zz'])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(viaColumns('{"a":1}\n', ['zz'])).toEqual([{}]);
    expect(viaColumns('{}\n{}\n', ['a'])).toEqual([{}, {}]);
  });

  it.each([
    ['another key order', '{"a":1,"b":2}\n{"b":2,"a":1}\n'],
    ['blanks inside a line', '{"a":1,"b":2}\n{"a": 1,"b":2}\n'],
    ['blanks in the first line', '{ "a":1 }\n'],
    ['a nested value', '{"a":1,"b":2}\n{"a":1,"b":[2]}\n'],
    ['a nested value in the first line', '{"a":{"x":1}}\n'],
    ['a missing key', '{"a":1,"b":2}\n{"a":1}\n'],
    ['a repeated key', '{"a":1,"a":2}\n'],
    ['integer-like keys, which JSON.parse puts first', '{"b":1,"1":2}\n'],
    ['an array line', '[1,2]\n'],
    ['text after the object', '{"a":1} x\n'],
    ['a number too large for a double', '{"a":1}\n{"a":1e400}\n'],
    ['a leading zero', '{"a":1}\n{"a":01}\n'],
    ['a bad escape', '{"a":"x"}\n{"a":"\\x"}\n'],
    ['a control character in a string', '{"a":"x"}\n{"a":"\t"}\n'],
    ['an unterminated string', '{"a":"x"}\n{"a":"x}\n'],
    ['a bare word', '{"a":1}\n{"a":nul}\n'],
  ])('%s: not read as columns (the record path decides)', (_, text) => {
    const range = file(text);
    expect(ndjsonColumns({ ...range, fields: ['a', 'b'] })).toBeUndefined();
  });

  it('invalid UTF-8 in a string: not read as columns, and the record path refuses it', () => {
    const text = Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    const range = file(text);
    expect(ndjsonColumns({ ...range, fields: ['a'] })).toBeUndefined();
    expect(() => records(range, ['a'])).toThrow(/UTF-8/);
  });

  it('reads across blocks and pieces: every line once, in order, whatever the sizes', () => {
    const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify({ id: i, name: `n${i % 7}`, v: i % 3 === 0 ? null : i / 4 }));
    const text = `${lines.join('\n')}\n`;
    for (const [read, piece] of [
      [64, 32],
      [100, 1000],
      [4096, 77],
      [1 << 20, 1 << 20],
    ] as const) {
      sizes.read = read;
      columnSizes.piece = piece;
      const rows = viaColumns(text, ['id', 'name', 'v'])!;
      expect(rows.length).toBe(500);
      expect(rows[499]).toEqual({ id: 499, name: 'n2', v: 124.75 });
    }
  });

  it('a chunk of another shape than the one before is read by its own', () => {
    expect(viaColumns('{"a":1,"b":2}\n', ['a', 'b'])).toEqual([{ a: 1, b: 2 }]);
    expect(viaColumns('{"b":3,"c":0,"a":4}\n', ['a', 'b'])).toEqual([{ b: 3, a: 4 }]);
    expect(viaColumns('{"a":5,"b":6}\n', ['a', 'b'])).toEqual([{ a: 5, b: 6 }]);
  });

  it('a byte range owns the lines that start in it, as the record path reads them', () => {
    const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ k: `key${i % 10}`, x: i }));
    const text = `${lines.join('\n')}\n`;
    const whole = file(text);
    const rows: unknown[] = [];
    for (let start = 0; start < whole.end; start += 333) {
      const range = { ...whole, start, end: Math.min(whole.end, start + 333) };
      const batch = ndjsonColumns({ ...range, fields: ['x', 'k'] })!;
      expect(columnRecords(batch)).toStrictEqual(records(range, ['x', 'k']));
      rows.push(...columnRecords(batch));
    }
    expect(rows).toStrictEqual(records(whole, ['x', 'k']));
  });

  it('values are interned: a dictionary holds each distinct token once', () => {
    const text = `${Array.from({ length: 1000 }, (_, i) => JSON.stringify({ o: ['LAS', 'ATL', 'SEA'][i % 3], d: i % 5 })).join('\n')}\n`;
    const batch = ndjsonColumns({ ...file(text), fields: ['o', 'd'] })!;
    const o = batch.columns.get('o') as { dictionary: unknown[]; indices: Int32Array };
    expect(o.dictionary).toEqual(['LAS', 'ATL', 'SEA']);
    expect((batch.columns.get('d') as { dictionary: unknown[] }).dictionary).toEqual([0, 1, 2, 3, 4]);
    expect(batch.rows).toBe(1000);
  });
});
