// The Parquet reader through the file source, as the engine runs it (split, then each chunk read
// after a structured clone, by `read` and by `fast.each` alike): type mapping, projection, row
// groups cut into row ranges, and where each record came from.
import { describe, expect, it } from 'vitest';
import fileSource from '../../../../steps/source-file/step.js';
import { readParquetMetadata, type ParquetChunk } from '../../../../steps/source-file/parquet/index.js';
import { runSource, tempDir } from '../readers/helpers.js';
import { BIG, counterFile, typesFile, typesRow } from './helpers.js';

const dir = tempDir();
typesFile(dir);
const counter = counterFile(dir, 'counter.parquet', 1000);

describe('Parquet source', () => {
  it('maps every type: integers (BigInt past 2^53), floats, strings, booleans, timestamps and dates as text, decimals, nulls', async () => {
    const { records, chunks } = await runSource(fileSource, { path: 'types.parquet' }, { pipelineDir: dir });
    expect(records).toStrictEqual(Array.from({ length: 10 }, (_, i) => typesRow(i)));
    expect((records[0] as { i64: unknown }).i64).toBe(BIG);
    // Row groups of 4, 4 and 2 rows: one chunk each.
    expect(chunks.map((c) => [(c.data as ParquetChunk).group, (c.data as ParquetChunk).rowStart, (c.data as ParquetChunk).rowEnd])).toEqual([
      [0, 0, 4],
      [1, 0, 4],
      [2, 0, 2],
    ]);
    expect(chunks.map((c) => c.records)).toEqual([4, 4, 2]);
  });

  it('reads `format: parquet` whatever the name, and a glob of Parquet files in name order', async () => {
    typesFile(dir, 'sub/a.data');
    typesFile(dir, 'sub/b.parquet');
    const named = await runSource(fileSource, { path: 'sub/a.data', format: 'parquet' }, { pipelineDir: dir });
    expect(named.records).toHaveLength(10);
    const globbed = await runSource(fileSource, { path: 'sub/*.parquet' }, { pipelineDir: dir });
    expect(globbed.records).toStrictEqual(Array.from({ length: 10 }, (_, i) => typesRow(i)));
  });

  it('decodes only the fields the pipeline reads, in schema order', async () => {
    const { records, chunks } = await runSource(fileSource, { path: 'types.parquet' }, { pipelineDir: dir, fields: ['s', 'i64', 'nope'] });
    expect(records).toStrictEqual(Array.from({ length: 10 }, (_, i) => ({ i64: typesRow(i).i64, s: typesRow(i).s })));
    const chunk = chunks[0]!.data as ParquetChunk;
    expect(chunk.columns.map((c) => c.path.join('.'))).toEqual(['i64', 's']);
    // No field read at all (a count): empty records, one per row.
    const none = await runSource(fileSource, { path: 'types.parquet' }, { pipelineDir: dir, fields: [] });
    expect(none.records).toStrictEqual(Array.from({ length: 10 }, () => ({})));
  });

  it('cuts a row group much bigger than the chunk target into row ranges, pages skipped or cut anywhere', async () => {
    const whole = await runSource(fileSource, { path: 'counter.parquet' }, { pipelineDir: dir });
    expect(whole.chunks).toHaveLength(1);
    const expected = Array.from({ length: 1000 }, (_, i) => ({ n: i, tag: `t${i % 3}` }));
    expect(whole.records).toStrictEqual(expected);
    for (const chunking of [{ records: 7 }, { records: 333 }, { bytes: 500 }]) {
      const { records, chunks } = await runSource(fileSource, { path: 'counter.parquet' }, { pipelineDir: dir, chunking });
      expect(chunks.length).toBeGreaterThan(1);
      expect(records).toStrictEqual(expected);
      const ranges = chunks.map((c) => c.data as ParquetChunk).map((c) => [c.rowStart, c.rowEnd]);
      expect(ranges[0]![0]).toBe(0);
      expect(ranges.at(-1)![1]).toBe(1000);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]);
    }
  });

  it("locates a record by its file's row, 1-based, across row groups and row ranges", async () => {
    const { chunks } = await runSource(fileSource, { path: 'counter.parquet' }, { pipelineDir: dir, chunking: { records: 300 } });
    const last = chunks.at(-1)!;
    expect(await fileSource.locate!(last, 5, { path: 'counter.parquet' })).toEqual({ file: 'counter.parquet', row: 906 });
    const typed = await runSource(fileSource, { path: 'types.parquet' }, { pipelineDir: dir });
    expect(await fileSource.locate!(typed.chunks[2]!, 1, { path: 'types.parquet' })).toEqual({ file: 'types.parquet', row: 10 });
  });

  it("declares the schema's top-level columns as the fields", () => {
    expect(fileSource.fields!({ path: 'types.parquet' }, { pipelineDir: dir })).toEqual(['i32', 'i64', 'f64', 's', 'b', 'ts', 'tsz', 'd', 'dec']);
    expect(fileSource.fields!({ path: 'sub/a.data', format: 'parquet' }, { pipelineDir: dir })).toEqual([
      'i32',
      'i64',
      'f64',
      's',
      'b',
      'ts',
      'tsz',
      'd',
      'dec',
    ]);
  });

  it('reads pages compressed with snappy, gzip, brotli or not at all', async () => {
    const zlib = await import('node:zlib');
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const { write } = await import('../readers/helpers.js');
    const data = Array.from({ length: 500 }, (_, i) => `value ${i % 17}`);
    const codecs = {
      SNAPPY: undefined,
      GZIP: (b: Uint8Array) => zlib.gzipSync(b),
      BROTLI: (b: Uint8Array) => zlib.brotliCompressSync(b),
      UNCOMPRESSED: undefined,
    };
    for (const [codec, compress] of Object.entries(codecs)) {
      const buffer = parquetWriteBuffer({
        columnData: [{ name: 'v', data, type: 'STRING' }],
        codec: codec as never,
        ...(compress ? { compressors: { [codec]: compress } } : {}),
      });
      const file = write(dir, `${codec}.parquet`, Buffer.from(buffer));
      expect(readParquetMetadata(file, codec).row_groups[0]!.columns[0]!.meta_data!.codec).toBe(codec);
      const { records } = await runSource(fileSource, { path: `${codec}.parquet` }, { pipelineDir: dir });
      expect(records).toStrictEqual(data.map((v) => ({ v })));
    }
  });

  it('names a file that is not Parquet, and a damaged one, without a stack', async () => {
    const { write } = await import('../readers/helpers.js');
    write(dir, 'fake.parquet', 'a,b\n1,2\n3,4\n5,6\n');
    await expect(runSource(fileSource, { path: 'fake.parquet' }, { pipelineDir: dir })).rejects.toMatchObject({
      code: 'INPUT_FAILED',
      message: 'cannot read fake.parquet as Parquet: it does not end with the Parquet magic bytes PAR1',
    });
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(counter);
    // The column data zeroed, the footer intact: the pages cannot be decoded.
    bytes.fill(0, 4, 200);
    write(dir, 'damaged.parquet', bytes);
    await expect(runSource(fileSource, { path: 'damaged.parquet' }, { pipelineDir: dir })).rejects.toMatchObject({
      code: 'INPUT_FAILED',
      message: expect.stringMatching(/^cannot read damaged\.parquet, column n of row group 0: /),
    });
  });
});
