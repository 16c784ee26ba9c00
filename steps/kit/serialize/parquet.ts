// Parquet output: records are gathered as columns (a field first seen late is null before), each
// column's type is inferred from all its values at the end (README, "Parquet output"), and the file
// is encoded with hyparquet-writer (snappy) and written in one piece to the atomic target.
import type { ColumnSource } from 'hyparquet-writer';
import type { OutputSink } from '../../../engine/contract/step.js';
import { toJson } from './json.js';

/** Where the file's bytes go (output-file.ts's atomic temp file). */
export interface BytesTarget {
  writeBytes(bytes: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export type ParquetColumnType = 'BOOLEAN' | 'INT32' | 'INT64' | 'DOUBLE' | 'STRING' | 'JSON';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The type of a column from its values (nulls aside): all booleans BOOLEAN; all integers INT32 when
 * they fit 32 bits, else INT64 (numbers or BigInts within 64 bits); all numbers DOUBLE; all strings
 * STRING; all null STRING; anything else (objects, arrays, mixed kinds) JSON: the values' JSON text in
 * a string column. INT32 where it fits: INT64 takes a BigInt per value (the flights file written
 * whole: 8.9 s and 1.9 GB with INT64 columns).
 */
export function inferParquetType(values: readonly unknown[]): ParquetColumnType {
  let kinds = 0;
  let fraction = false;
  let wide = false;
  let big = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    switch (typeof v) {
      case 'boolean':
        kinds |= 1;
        break;
      case 'number':
        kinds |= 2;
        if (!Number.isInteger(v) || !Number.isFinite(v) || Math.abs(v) >= 2 ** 63) fraction = true;
        else if ((v | 0) !== v) big = true;
        break;
      case 'bigint':
        kinds |= 2;
        if (v < INT64_MIN || v > INT64_MAX) wide = true;
        else if (v < -(2n ** 31n) || v >= 2n ** 31n) big = true;
        break;
      case 'string':
        kinds |= 4;
        break;
      default:
        kinds |= 8;
    }
  }
  if (kinds === 0) return 'STRING';
  if (kinds === 1) return 'BOOLEAN';
  if (kinds === 2) return wide ? 'JSON' : fraction ? 'DOUBLE' : big ? 'INT64' : 'INT32';
  if (kinds === 4) return 'STRING';
  return 'JSON';
}

/** Records in, columns out. A record that is not an object is one `value` column. */
export class ParquetColumns {
  readonly names: string[] = [];
  private readonly columns = new Map<string, unknown[]>();
  rows = 0;

  add(record: unknown): void {
    const fields: Record<string, unknown> =
      record !== null && typeof record === 'object' && !Array.isArray(record) ? (record as Record<string, unknown>) : { value: record };
    for (const name of Object.keys(fields)) {
      let column = this.columns.get(name);
      if (!column) {
        column = new Array<unknown>(this.rows).fill(null);
        this.columns.set(name, column);
        this.names.push(name);
      }
      column.push(fields[name]);
    }
    this.rows++;
    // A field this record lacks is null in it.
    for (const column of this.columns.values()) if (column.length < this.rows) column.push(null);
  }

  /** The columns as hyparquet-writer takes them, values converted to their column's type. */
  sources(): ColumnSource[] {
    return this.names.map((name) => {
      const values = this.columns.get(name)!;
      const type = inferParquetType(values);
      return { name, type: type === 'JSON' ? 'STRING' : type, data: convert(values, type) };
    });
  }
}

/** The values as the writer takes them for their column's type, converted in place. */
function convert(values: unknown[], type: ParquetColumnType): unknown[] {
  const as: (v: unknown) => unknown =
    type === 'INT64' ? (v) => BigInt(v as number | bigint) : type === 'INT32' || type === 'DOUBLE' ? Number : type === 'JSON' ? toJson : (v) => v;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    values[i] = v === null || v === undefined ? null : as(v);
  }
  return values;
}

/** The Parquet file of these columns. */
export async function parquetBytes(columns: ParquetColumns): Promise<Uint8Array> {
  // Loaded when a Parquet file is written, not by every run.
  const { ByteWriter, parquetWrite } = await import('hyparquet-writer');
  const writer = new ByteWriter();
  parquetWrite({ writer, columnData: columns.sources() as never, codec: 'SNAPPY', rowGroupSize: 100_000, createdBy: 'flow' });
  return writer.getBytes();
}

export function parquetSink(target: BytesTarget): OutputSink {
  const columns = new ParquetColumns();
  return {
    write(records) {
      for (const record of records) columns.add(record);
    },
    writeValue(value) {
      if (Array.isArray(value)) for (const record of value) columns.add(record);
      else columns.add(value);
    },
    async commit() {
      await target.writeBytes(await parquetBytes(columns));
      await target.commit();
    },
    abort: () => target.abort(),
  };
}
