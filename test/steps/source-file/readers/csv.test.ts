import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRecordLine, inferValue, isNumeric, OVERFLOW, readCsvHeader, splitCsvLine } from '../../../../steps/source-file/readers/csv.js';
import fileSource from '../../../../steps/source-file/step.js';
import { query, sqlString } from '../../../helpers/duckdb.js';
import { caught, runSource, tempDir, vegaData, write } from './helpers.js';

const dir = tempDir();

describe('splitCsvLine', () => {
  it('follows RFC 4180 quoting within a line', () => {
    const q: boolean[] = [];
    expect(splitCsvLine('a,b,,c', ',', q)).toEqual(['a', 'b', '', 'c']);
    expect(splitCsvLine('"a,b","say ""hi""",,""', ',', q)).toEqual(['a,b', 'say "hi"', '', '']);
    expect(q).toEqual([true, true, undefined, true]);
    expect(splitCsvLine('5" screen,x', ',', q)).toEqual(['5" screen', 'x']);
    expect(splitCsvLine('"ab"c,d', ',', q)).toEqual(['abc', 'd']);
    expect(splitCsvLine('x,"unterminated', ',', q)).toBeNull();
    expect(splitCsvLine('a\t"b\tc"', '\t', q)).toEqual(['a', 'b\tc']);
  });
});

describe('inferValue', () => {
  it('types numbers and booleans and keeps the rest as text', () => {
    const cases: [string, unknown][] = [
      ['12', 12],
      ['-3.5', -3.5],
      ['.097', 0.097],
      ['1e3', 1000],
      ['+7', 7],
      ['0', 0],
      ['0.0', 0],
      ['true', true],
      ['FALSE', false],
      ['00501', '00501'],
      ['1.2.3', '1.2.3'],
      ['NaN', 'NaN'],
      ['12345678901234567890', 12345678901234567890n],
      ['-9007199254740993', -9007199254740993n],
      ['+9007199254740992', 9007199254740992n],
      ['9007199254740991', 9007199254740991],
      ['1e400', OVERFLOW],
      ['-1.5E+309', OVERFLOW],
      ['1e20', 1e20],
      [' 12', ' 12'],
      ['2012-01-01', '2012-01-01'],
      ['-', '-'],
      ['1.', 1],
      ['+.5', 0.5],
      ['.', '.'],
      ['1e', '1e'],
      ['1e-2', 0.01],
      ['-0.25E+2', -25],
      ['00', '00'],
      ['0x1F', '0x1F'],
      ['Infinity', 'Infinity'],
      ['1_000', '1_000'],
      ['12 ', '12 '],
      ['tru', 'tru'],
      ['yes', 'yes'],
    ];
    expect(cases.map(([t]) => inferValue(t))).toEqual(cases.map(([, v]) => v));
  });
});

/** CSV text for rows of strings: quotes a field when it must, and sometimes when it need not. */
function encode(rows: string[][], delim: string, eol: string, quoteAll: boolean): string {
  const cell = (s: string) => (quoteAll || s.includes(delim) || s.includes('"') ? `"${s.replaceAll('"', '""')}"` : s);
  return rows.map((r) => r.map(cell).join(delim) + eol).join('');
}

describe('isNumeric', () => {
  it('agrees with the grammar written as a RegExp', () => {
    const grammar = /^[-+]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789+-.eE x'.split('')), maxLength: 8 }), (s) => {
        expect(isNumeric(s)).toBe(grammar.test(s));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('chunked CSV and TSV', () => {
  const field = fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, ''));
  it('equal the rows written, whatever the chunk size', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 4 })
          .chain((cols) => fc.tuple(fc.constant(cols), fc.array(fc.array(field, { minLength: cols, maxLength: cols }), { maxLength: 20 }))),
        fc.constantFrom(',', '\t', ';'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 200 }),
        async ([cols, rows], delim, eol, quoteAll, bytes) => {
          const header = Array.from({ length: cols }, (_, i) => `c${i}`);
          // A row whose only field is empty is a blank line: CSV readers skip those.
          const kept = rows.filter((r) => quoteAll || r.join('') !== '' || cols > 1);
          const name = `t${n++}.${delim === '\t' ? 'tsv' : 'csv'}`;
          write(dir, name, encode([header, ...kept], delim, eol, quoteAll));
          const csv = { infer: false, ...(delim === ';' ? { delimiter: ';' } : {}) };
          const { records } = await runSource(fileSource, { path: name, csv }, { pipelineDir: dir, chunking: { bytes } });
          expect(records).toEqual(kept.map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v]))));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('types fields like DuckDB: an empty field is null, a quoted empty one is ""', async () => {
    write(dir, 'typed.csv', '\uFEFFn,flag,name,empty\r\n1,true,"x, y",\r\n-2.5,false,"",""\r\n');
    const { records } = await runSource(fileSource, { path: 'typed.csv' }, { pipelineDir: dir });
    expect(records).toEqual([
      { n: 1, flag: true, name: 'x, y', empty: null },
      { n: -2.5, flag: false, name: '', empty: '' },
    ]);
  });

  it('without a header rows are arrays, and every line is data', async () => {
    write(dir, 'rows.csv', '1,a\n2,b,extra\n');
    const { records } = await runSource(fileSource, { path: 'rows.csv', csv: { header: false } }, { pipelineDir: dir, chunking: { bytes: 2 } });
    expect(records).toEqual([
      [1, 'a'],
      [2, 'b', 'extra'],
    ]);
  });

  it('names unnamed and repeated columns', () => {
    const file = write(dir, 'names.csv', 'a,,a,a_1\n1,2,3,4\n');
    expect(readCsvHeader(file, 'names.csv', ',')).toEqual({ names: ['a', 'column1', 'a_1', 'a_1_1'], end: 9 });
  });

  it('rejects a quoted field that spans lines, with a hint', async () => {
    write(dir, 'multiline.csv', 'id,text\n1,"fine"\n2,"first\nsecond"\n');
    const err = await caught(() => runSource(fileSource, { path: 'multiline.csv' }, { pipelineDir: dir }));
    expect(err.toJSON()).toEqual({
      code: 'RECORD_PARSE',
      message: 'a quoted field is not closed on its line (a newline inside a quoted field?)',
      record: { file: 'multiline.csv', line: 3 },
      hint: expect.stringContaining('a quoted field cannot span lines'),
    });
  });

  it('rejects a row with the wrong number of fields', async () => {
    write(dir, 'ragged.csv', 'a,b\n1,2\n\n3\n');
    const err = await caught(() => runSource(fileSource, { path: 'ragged.csv' }, { pipelineDir: dir, chunking: { bytes: 1 } }));
    expect(err.toJSON()).toEqual({
      code: 'RECORD_PARSE',
      message: 'the row has 1 fields but the header has 2',
      record: { file: 'ragged.csv', line: 4 },
      hint: 'check the delimiter (",") and the quoting of this row',
    });
  });

  it('locates the k-th row of a chunk', () => {
    const file = write(dir, 'loc.csv', 'h\n1\n\n2\n3\n');
    expect(csvRecordLine({ file, name: 'loc.csv', start: 2, end: 9 }, 2)).toBe(5);
  });
});

describe('real data (vega-datasets)', () => {
  it('airports.csv reads like DuckDB reads it', async () => {
    const file = vegaData('airports.csv');
    const { records, chunks } = await runSource(fileSource, { path: file, csv: { infer: false } }, { pipelineDir: dir, chunking: { bytes: 16 * 1024 } });
    expect(chunks.length).toBeGreaterThan(10);
    const rows = await query(`select * from read_csv(${sqlString(file)}, all_varchar = true, header = true)`);
    expect(records).toEqual(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? '']))));
  });

  it('seattle-weather.csv: numbers typed, dates kept as text', async () => {
    const file = vegaData('seattle-weather.csv');
    const { records } = await runSource(fileSource, { path: path.relative(dir, file) }, { pipelineDir: dir, chunking: { records: 100 } });
    const rows = await query(`select precipitation, wind from read_csv(${sqlString(file)})`);
    expect(records).toHaveLength(rows.length);
    expect(records.map((r: any) => [r.precipitation, r.wind])).toEqual(rows.map((r) => [r.precipitation, r.wind]));
    expect(records[0]).toEqual({ date: '2012-01-01', precipitation: 0, temp_max: 12.8, temp_min: 5, wind: 4.7, weather: 'drizzle' });
  });
});
