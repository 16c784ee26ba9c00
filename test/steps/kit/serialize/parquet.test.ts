// Parquet output: column types inferred from all the values, records as columns, and the file read
// back by hyparquet (DuckDB reads it in test/steps/output-file-parquet.e2e.test.ts).
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { inferParquetType, ParquetColumns, parquetBytes, parquetSink } from '../../../../steps/kit/serialize/parquet.js';

describe('inferParquetType', () => {
  it('follows the README rules', () => {
    expect(inferParquetType([true, null, false])).toBe('BOOLEAN');
    expect(inferParquetType([1, -2, null, 2n ** 60n])).toBe('INT64');
    expect(inferParquetType([1, -(2 ** 31), null, 2 ** 31 - 1, 5n])).toBe('INT32');
    expect(inferParquetType([1, 2 ** 31])).toBe('INT64');
    expect(inferParquetType([2n ** 31n])).toBe('INT64');
    expect(inferParquetType([1, 2.5])).toBe('DOUBLE');
    expect(inferParquetType([1, 2 ** 63])).toBe('DOUBLE');
    expect(inferParquetType(['a', null])).toBe('STRING');
    expect(inferParquetType([null, undefined])).toBe('STRING');
    expect(inferParquetType([])).toBe('STRING');
    expect(inferParquetType(['a', 1])).toBe('JSON');
    expect(inferParquetType([{ a: 1 }])).toBe('JSON');
    expect(inferParquetType([[1, 2]])).toBe('JSON');
    expect(inferParquetType([2n ** 64n])).toBe('JSON');
  });
});

async function readBack(bytes: Uint8Array) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { metadata: parquetMetadata(file), rows: await parquetReadObjects({ file }) };
}

describe('Parquet output', () => {
  it('writes records as typed columns; a field first seen late is null before, a missing one null', async () => {
    const columns = new ParquetColumns();
    const records = [
      { id: 1, name: 'a', ok: true, x: 1.5 },
      { id: 2n ** 60n, name: 'b', ok: false, x: 2, tags: ['t'] },
      { id: 3, ok: null, x: null, tags: { k: 1n } },
    ];
    for (const r of records) columns.add(r);
    const { metadata, rows } = await readBack(await parquetBytes(columns));
    expect(metadata.schema.slice(1).map((e) => [e.name, e.type, e.converted_type])).toEqual([
      ['id', 'INT64', undefined],
      ['name', 'BYTE_ARRAY', 'UTF8'],
      ['ok', 'BOOLEAN', undefined],
      ['x', 'DOUBLE', undefined],
      ['tags', 'BYTE_ARRAY', 'UTF8'],
    ]);
    expect(Number(metadata.num_rows)).toBe(3);
    expect(rows).toEqual([
      { id: 1n, name: 'a', ok: true, x: 1.5, tags: null },
      { id: 2n ** 60n, name: 'b', ok: false, x: 2, tags: '["t"]' },
      { id: 3n, name: null, ok: null, x: null, tags: '{"k":1}' },
    ]);
  });

  it('a sink: batches and a single value go in, the bytes go to the target only at commit; abort writes nothing', async () => {
    const written: Uint8Array[] = [];
    let committed = 0;
    let aborted = 0;
    const target = {
      writeBytes: async (b: Uint8Array) => void written.push(b),
      commit: async () => void committed++,
      abort: async () => void aborted++,
    };
    const sink = parquetSink(target);
    await sink.write([{ v: 1 }, { v: 2 }]);
    await sink.writeValue!(3);
    expect(written).toHaveLength(0);
    await sink.commit();
    expect(committed).toBe(1);
    const { rows } = await readBack(written[0]!);
    expect(rows).toEqual([{ v: 1 }, { v: 2 }, { value: 3, v: null }].map((r) => ({ v: null, value: null, ...r })));
    const other = parquetSink(target);
    await other.write([{ v: 1 }]);
    await other.abort();
    expect(aborted).toBe(1);
    expect(written).toHaveLength(1);
  });
});
