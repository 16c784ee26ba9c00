import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import type { TextChunk } from '../../../../steps/source-file/readers/chunks.js';
import { readCsvHeader } from '../../../../steps/source-file/readers/csv.js';
import { eachCsvFields, readCsvFields } from '../../../../steps/source-file/readers/csv-fields.js';
import { pick } from '../../../../steps/source-file/readers/ndjson-fields.js';
import fileSource from '../../../../steps/source-file/step.js';
import { runSource, tempDir, write } from './helpers.js';
import { same } from './same.js';

const dir = tempDir();

// Column names: plain, repeated or empty (renamed by the header reader), and ones objects inherit.
const name = fc.constantFrom('a', 'b', 'c', 'a', '', '__proto__', 'constructor', 'x y', 'é');
// Raw cell text, written as is: numbers in many forms, booleans, quotes (closed, doubled, open).
const cell = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.constantFrom(
      '',
      '0',
      '-0',
      '007',
      '1e400',
      '12345678901234567890',
      '-1.5e-3',
      '.5',
      'true',
      'FALSE',
      'x',
      ' 1',
      '""',
      '"a,b"',
      '"q""q"',
      'a"b',
      '"x"y',
      '"\t;"',
      'é😀',
    ),
  },
  // Numbers in odd forms: the projected reader types plain ones itself and must agree with inferValue.
  {
    weight: 10,
    arbitrary: fc.constantFrom(
      '1e5',
      '1.',
      '0.5',
      '-0.0',
      '+5',
      '-.5',
      '00',
      '1.05',
      '33',
      '-12',
      'NaN',
      'Infinity',
      '-Infinity',
      '123456789012345',
      '1234567890123456',
      '9007199254740993',
      '-',
      '1.2.3',
      'True',
      'tRUE',
      'false',
      '"12"',
      '" 1"',
      'LAS',
    ),
  },
  { weight: 5, arbitrary: fc.string({ maxLength: 5 }).map((s) => s.replace(/[\r\n]/g, '')) },
  { weight: 1, arbitrary: fc.constant('"unterminated') },
);

/** Every record of a run, or the error it stops with. */
async function outcome(options: object, fields: string[] | undefined, bytes: number): Promise<{ records?: unknown[]; error?: unknown }> {
  try {
    const { records, chunks } = await runSource(fileSource, options, { pipelineDir: dir, chunking: { bytes }, ...(fields ? { fields } : {}) });
    if (fields) for (const c of chunks) expect((c.data as { fields?: string[] }).fields).toEqual(fields);
    return { records };
  } catch (err) {
    if (!(err instanceof FlowError)) throw err;
    return { error: err.toJSON() };
  }
}

/** The records of eachCsvFields over the same chunks (the errors are compared through `outcome`). */
async function eachOutcome(options: object, fields: string[], bytes: number): Promise<unknown[]> {
  const { chunks } = await runSource(fileSource, options, { pipelineDir: dir, chunking: { bytes }, fields });
  const out: unknown[] = [];
  for (const c of chunks) {
    const data = c.data as TextChunk;
    if (data.fields) eachCsvFields(data, data.fields, (r) => out.push(r));
    else out.push(...fileSource.read(c, undefined));
  }
  return out;
}

describe('CSV and TSV with fields', () => {
  it('give the full rows with only those fields, or the same error', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(name, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.array(cell, { minLength: 0, maxLength: 6 }), fc.nat(39)), { maxLength: 12 }),
        fc.constantFrom(',', '\t', ';'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.constantFrom('a', 'b', 'c', 'a_1', 'column1', '__proto__', 'constructor', 'x y', 'missing'), { maxLength: 4 }),
        async (header, rows, delim, eol, infer, bytes, wanted) => {
          // Most rows have the header's width; some are wider, narrower or blank.
          const rowCells = rows.map(([cells, odd]) => {
            const width = odd === 0 ? cells.length : odd === 1 ? 0 : header.length;
            return Array.from({ length: width }, (_, i) => cells[i] ?? '1');
          });
          const file = `r${n++}.${delim === '\t' ? 'tsv' : 'csv'}`;
          const text = (rowsOf: string[][]) => [header.join(delim), ...rowsOf.map((r) => r.join(delim))].map((l) => l + eol).join('');
          write(dir, file, text(rowCells));
          const options = { path: file, csv: { infer, ...(delim === ';' ? { delimiter: ';' } : {}) } };
          const projected = await outcome(options, wanted, bytes);
          // A number beyond a double in a column the projection does not read fails only the full read:
          // the full read compared is of the same file with such cells in those columns made text.
          const names = readCsvHeader(path.join(dir, file), file, delim).names;
          write(dir, file, text(rowCells.map((r) => r.map((c, i) => (c === '1e400' && !wanted.includes(names[i] ?? '') ? 'x' : c)))));
          const full = await outcome(options, undefined, bytes);
          if (full.error !== undefined || projected.error !== undefined) {
            expect(projected.error).toEqual(full.error);
            return;
          }
          const want = full.records!.map((r) => pick(r, wanted));
          if (!same(projected.records, want)) expect(projected.records).toStrictEqual(want);
          const each = await eachOutcome(options, wanted, bytes);
          if (!same(each, projected.records)) expect(each).toStrictEqual(projected.records);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('slice only the wanted columns, typed as the full read types them', async () => {
    write(dir, 'typed.csv', 'id,zip,delay,__proto__,note\n1,00501,-0,p,"a,b"\n2,,1.5e300,,x\n');
    const { records } = await runSource(fileSource, { path: 'typed.csv' }, { pipelineDir: dir, fields: ['delay', 'zip', '__proto__'] });
    expect(records.map((r) => Object.keys(r as object))).toEqual([
      ['delay', 'zip', '__proto__'],
      ['delay', 'zip', '__proto__'],
    ]);
    const [first, second] = records as Record<string, unknown>[];
    expect(Object.is(first!.delay, -0)).toBe(true);
    expect(first!.zip).toBe('00501');
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(first, '__proto__')!.value).toBe('p');
    expect(second).toEqual({ delay: 1.5e300, zip: null, ['__proto__']: null });
  });

  it('fail a row with a number beyond a double in a field they read as the full read does; one they do not read is not typed', async () => {
    const rows = ['1,1e400,x', '1,"-2E+309",y', `1,${'9'.repeat(309)}.5,z`];
    for (const [k, row] of rows.entries()) {
      write(dir, `over${k}.csv`, `a,b,c\n1,2,3\n${row}\n`);
      const fields = await outcome({ path: `over${k}.csv` }, ['b'], 1 << 20);
      expect(fields.error, row).toMatchObject({ code: 'RECORD_PARSE', record: { file: `over${k}.csv`, line: 3 } });
      expect((fields.error as { message: string }).message).toMatch(
        /^the number .* is too large for a 64-bit float \(it would be Infinity\), in the field "b"$/,
      );
      expect(fields.error).toEqual((await outcome({ path: `over${k}.csv` }, undefined, 1 << 20)).error);
    }
    write(dir, 'over-unread.csv', 'a,b,c\n1,2,3\n1e999,4,"1e400"\n');
    expect((await outcome({ path: 'over-unread.csv' }, ['b'], 1 << 20)).records).toEqual([{ b: 2 }, { b: 4 }]);
    expect((await outcome({ path: 'over-unread.csv' }, undefined, 1 << 20)).error).toMatchObject({
      message: 'the number 1e999 is too large for a 64-bit float (it would be Infinity), in the field "a"',
    });
    // Integers that long are exact BigInts, and an exponent's three digits alone are no overflow.
    write(dir, 'big.csv', `a,b\n${'9'.repeat(400)},1e-400\n`);
    expect((await outcome({ path: 'big.csv' }, ['a', 'b'], 1 << 20)).records).toEqual([{ a: BigInt('9'.repeat(400)), b: 0 }]);
  });

  it('name the line of a row of the wrong width, projected or not', async () => {
    write(dir, 'wide.csv', 'a,b\n1,2\n3,4,5\n');
    const error = async (fields?: string[]) => (await outcome({ path: 'wide.csv' }, fields, 1 << 20)).error;
    expect(await error(['b'])).toEqual({
      code: 'RECORD_PARSE',
      message: 'the row has 3 fields but the header has 2',
      record: { file: 'wide.csv', line: 3 },
      hint: 'check the delimiter (",") and the quoting of this row',
    });
    expect(await error(['b'])).toEqual(await error());
  });

  it('name the right line past the first block of a chunk', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => (i % 2 ? `${i},x${i}` : `${i},"x${i}"`));
    write(dir, 'long.csv', ['a,b', ...rows, '1,2,3', '4,5'].join('\n') + '\n');
    const error = async (fields?: string[]) => (await outcome({ path: 'long.csv' }, fields, 1 << 30)).error;
    expect(await error(['a'])).toMatchObject({ record: { file: 'long.csv', line: 200_002 } });
    expect(await error(['a'])).toEqual(await error());
    // Without the bad row: many blocks and batches, read through the iterator and through emit.
    write(dir, 'long-ok.csv', ['a,b', ...rows].join('\r\n'));
    const full = await outcome({ path: 'long-ok.csv' }, undefined, 1 << 21);
    const projected = await outcome({ path: 'long-ok.csv' }, ['b', 'a'], 1 << 21);
    expect(projected.records).toHaveLength(200_000);
    expect(projected.records).toEqual(full.records!.map((r) => pick(r, ['b', 'a'])));
    expect(await eachOutcome({ path: 'long-ok.csv' }, ['b', 'a'], 1 << 21)).toEqual(projected.records);
  });

  it('yield the rows before a bad row, then throw; a consumer may stop early', async () => {
    write(dir, 'bad.csv', 'a,b\n1,x\n2,y\n3\n4,z\n');
    const plan = await fileSource.split({ path: 'bad.csv' }, { chunking: {}, workers: 1, pipelineDir: dir, hints: { fields: ['a'] } });
    const [chunk] = [...(plan.chunks as Iterable<{ data: TextChunk }>)];
    const seen: unknown[] = [];
    const thrown = (() => {
      try {
        for (const r of readCsvFields(chunk!.data, ['a'])) seen.push(r);
      } catch (err) {
        return err as FlowError;
      }
    })();
    expect(seen).toEqual([{ a: 1 }, { a: 2 }]);
    expect(thrown?.toJSON()).toMatchObject({ code: 'RECORD_PARSE', record: { file: 'bad.csv', line: 4 } });
    const it = readCsvFields(chunk!.data, ['a']);
    expect(it.next()).toEqual({ done: false, value: { a: 1 } });
    expect(it.return!()).toEqual({ done: true, value: undefined });
    expect(it.next()).toEqual({ done: true, value: undefined });
  });
});
