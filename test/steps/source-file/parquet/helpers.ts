// Parquet files for the reader's tests, written with hyparquet-writer: every type the README maps,
// nulls, several row groups, and small pages so that a row range starts and ends inside a group.
import { parquetWriteBuffer } from 'hyparquet-writer';
import { write } from '../readers/helpers.js';

export const BIG = 2n ** 53n + 1n;

/** 10 rows, row groups of 4 (4 + 4 + 2), pages of a few rows. */
export function typesFile(dir: string, name = 'types.parquet'): string {
  const n = 10;
  const rows = Array.from({ length: n }, (_, i) => i);
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'i32', data: rows.map((i) => (i === 3 ? null : i - 5)) },
      { name: 'i64', data: rows.map((i) => (i === 0 ? BIG : i === 1 ? -BIG : i === 2 ? null : BigInt(i * 1000))) },
      { name: 'f64', data: rows.map((i) => (i === 4 ? null : i / 4)) },
      { name: 's', data: rows.map((i) => (i === 5 ? null : `s${i}`)) },
      { name: 'b', data: rows.map((i) => (i === 6 ? null : i % 2 === 0)) },
      // 2001-01-01 00:01:00 UTC plus i hours and i milliseconds (microseconds since 1970).
      { name: 'ts', data: rows.map((i) => (i === 7 ? null : (978307260000n + BigInt(i) * 3_600_000n + BigInt(i)) * 1000n)) },
      { name: 'tsz', data: rows.map((i) => (i === 7 ? null : 978307260000n + BigInt(i) * 1000n)) },
      { name: 'd', data: rows.map((i) => (i === 8 ? null : 11323 + i)) },
      { name: 'dec', data: rows.map((i) => (i === 9 ? null : 1.25 * i)) },
    ],
    schema: [
      { name: 'root', num_children: 9 },
      { name: 'i32', type: 'INT32', repetition_type: 'OPTIONAL' },
      { name: 'i64', type: 'INT64', repetition_type: 'OPTIONAL' },
      { name: 'f64', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: 's', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'b', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
      { name: 'ts', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } },
      { name: 'tsz', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
      { name: 'd', type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
      { name: 'dec', type: 'INT32', converted_type: 'DECIMAL', scale: 2, precision: 9, repetition_type: 'OPTIONAL' },
    ],
    rowGroupSize: 4,
    pageSize: 16,
  });
  return write(dir, name, Buffer.from(buffer));
}

/** What typesFile's row i reads as (README, "Parquet": the type mapping). */
export function typesRow(i: number): Record<string, unknown> {
  const h = String(i).padStart(2, '0');
  return {
    i32: i === 3 ? null : i - 5,
    i64: i === 0 ? BIG : i === 1 ? -BIG : i === 2 ? null : i * 1000,
    f64: i === 4 ? null : i / 4,
    s: i === 5 ? null : `s${i}`,
    b: i === 6 ? null : i % 2 === 0,
    ts: i === 7 ? null : `2001-01-01 ${h}:01:00${i === 0 ? '' : `.00${i}`}`,
    tsz: i === 7 ? null : `2001-01-01 00:01:0${i}+00`,
    d: i === 8 ? null : `2001-01-${String(1 + i).padStart(2, '0')}`,
    dec: i === 9 ? null : 1.25 * i,
  };
}

/** `rows` rows of one INT64 column `n` (0, 1, 2, ...) in one row group, pages of about `pageSize` bytes. */
export function counterFile(dir: string, name: string, rows: number, pageSize = 64): string {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'n', data: Array.from({ length: rows }, (_, i) => BigInt(i)), type: 'INT64', nullable: false },
      { name: 'tag', data: Array.from({ length: rows }, (_, i) => `t${i % 3}`), type: 'STRING' },
    ],
    rowGroupSize: rows,
    pageSize,
  });
  return write(dir, name, Buffer.from(buffer));
}
