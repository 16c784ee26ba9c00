// A Parquet chunk as columns (the file source's fast.columns): the records they stand for are the
// records read gives (readers/helpers.ts checks that for every chunk of every Parquet test), here on
// dictionary-encoded columns with nulls, and on a column chunk whose pages leave the dictionary.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parquetSchema } from 'hyparquet';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { getTreePath } from 'hyparquet/src/schema.js';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import fileSource from '../../../../steps/source-file/step.js';
import { readParquetMetadata, type ParquetChunk } from '../../../../steps/source-file/parquet/index.js';
import { columnSpare, flatColumn } from '../../../../steps/source-file/parquet/columns.js';
import { flatValues, type ColumnDecoder } from '../../../../steps/source-file/parquet/flat.js';
import { compressors } from '../../../../steps/source-file/parquet/compressors.js';
import { parsersFor } from '../../../../steps/source-file/parquet/values.js';
import type { Chunk, Column } from '../../../../engine/contract/step.js';
import { query, sqlString } from '../../../helpers/duckdb.js';
import { columnRecords, runSource, tempDir, write } from '../readers/helpers.js';

const dir = tempDir();

describe('Parquet chunks as columns', () => {
  it('gives dictionary-encoded columns as indices, a null row pointing at a null entry; the records are those read gives', async () => {
    const file = path.join(dir, 'dict.parquet');
    // Version 1 data pages (DuckDB), dictionaries with nulls, BigInts past 2^53 and timestamps; row groups of 2048 rows.
    await query(`COPY (
      SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE 'k' || (i % 5) END AS origin,
        CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 13) - 6 END::BIGINT AS delay,
        CASE WHEN i % 3 = 0 THEN 9007199254740993 ELSE i % 4 END::BIGINT AS big,
        TIMESTAMP '2001-01-01 00:01:00' + (i % 6) * INTERVAL 1500 MICROSECOND AS ts
      FROM range(5000) t(i)) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    const { records, chunks } = await runSource(fileSource, { path: 'dict.parquet' }, { pipelineDir: dir, reduced: true });
    expect(records).toHaveLength(5000);
    expect(records[1]).toStrictEqual({ origin: 'k1', delay: -5, big: 1, ts: '2001-01-01 00:01:00.0015' });
    expect(records[0]).toStrictEqual({ origin: null, delay: null, big: 9007199254740993n, ts: '2001-01-01 00:01:00' });
    const state = await fileSource.setup!({ path: 'dict.parquet' }, { pipelineDir: dir });
    const batch = fileSource.fast!.columns!(chunks[0]!, state)!;
    expect(batch.rows).toBe((chunks[0]!.data as ParquetChunk).rowEnd);
    for (const name of ['origin', 'delay', 'big', 'ts']) expect(batch.columns.get(name)).toHaveProperty('indices');
    const origin = batch.columns.get('origin') as Extract<Column, { indices: unknown }>;
    expect(origin.dictionary[origin.indices[0]!]).toBeNull();
    expect(new Set(Array.from(origin.dictionary))).toEqual(new Set([null, 'k0', 'k1', 'k2', 'k3', 'k4']));
  });

  it('gives a range of a row group, and a nested column, as values', async () => {
    const file = path.join(dir, 'nested.parquet');
    await query(`COPY (SELECT i AS n, [i, i + 1] AS list FROM range(300) t(i)) TO ${sqlString(file)} (FORMAT parquet)`);
    const { chunks } = await runSource(fileSource, { path: 'nested.parquet' }, { pipelineDir: dir, chunking: { records: 100 } });
    expect(chunks).toHaveLength(3);
    const state = await fileSource.setup!({ path: 'nested.parquet' }, { pipelineDir: dir });
    const batch = fileSource.fast!.columns!(chunks[1]!, state)!;
    expect(batch.columns.get('n')).toHaveProperty('values');
    expect(columnRecords(batch)[0]).toStrictEqual({ n: 100, list: [100, 101] });
  });

  it('is not offered for a text chunk', async () => {
    write(dir, 'a.ndjson', '{"a":1}\n');
    const { chunks } = await runSource(fileSource, { path: 'a.ndjson' }, { pipelineDir: dir });
    expect(fileSource.fast!.columns!(chunks[0] as Chunk<never>, undefined)).toBeUndefined();
  });

  it('turns to values where a page leaves the dictionary (a writer gives up on a growing one), the rows before looked up', () => {
    // One column chunk: a dictionary page and its data pages, then the data pages of a PLAIN one.
    const rows = 40;
    const data = Array.from({ length: rows }, (_, i) => (i % 6 === 0 ? null : `v${i % 4}`));
    const chunkOf = (name: string, encoding: 'RLE_DICTIONARY' | 'PLAIN') => {
      const file = write(dir, name, Buffer.from(parquetWriteBuffer({ columnData: [{ name: 's', data, type: 'STRING', encoding }], pageSize: 40 })));
      const meta = readParquetMetadata(file, name);
      const column = meta.row_groups[0]!.columns[0]!.meta_data!;
      const start = Number(column.dictionary_page_offset ?? column.data_page_offset);
      return {
        meta,
        column,
        bytes: readFileSync(file).subarray(start, start + Number(column.total_compressed_size)),
        dataAt: Number(column.data_page_offset) - start,
      };
    };
    const dict = chunkOf('d.parquet', 'RLE_DICTIONARY');
    const plain = chunkOf('p.parquet', 'PLAIN');
    expect(dict.column.encodings).toContain('RLE_DICTIONARY');
    expect(plain.column.encodings).not.toContain('RLE_DICTIONARY');
    const bytes = Buffer.concat([dict.bytes, plain.bytes.subarray(plain.dataAt)]);
    const schemaPath = getTreePath(parquetSchema(dict.meta), ['s']);
    const element = schemaPath.at(-1)!.element;
    const decoder: ColumnDecoder = {
      pathInSchema: ['s'],
      type: element.type!,
      element,
      schemaPath,
      codec: dict.column.codec as ColumnDecoder['codec'],
      parsers: { ...DEFAULT_PARSERS, ...parsersFor(element) },
      compressors,
      utf8: true,
    };
    const reader = () => ({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 });
    const expected = [...data, ...data];
    expect(flatValues(reader(), decoder, 0, 2 * rows)).toStrictEqual(expected);
    const column = flatColumn(reader(), decoder, 0, 2 * rows, columnSpare());
    expect(column).toHaveProperty('values');
    expect(Array.from((column as { values: ArrayLike<unknown> }).values)).toStrictEqual(expected);
    // The dictionary part alone stays indices.
    const first = flatColumn(reader(), decoder, 0, rows, columnSpare());
    expect(first).toHaveProperty('indices');
    expect(columnRecords({ rows, columns: new Map([['s', first]]) })).toStrictEqual(data.map((s) => ({ s })));
  });
});
