// The chunk descriptor of a Parquet file: rows [rowStart, rowEnd) of one row group, with what a
// worker needs to read them on its own (the schema and the byte range of each column chunk), so
// that the file's footer is parsed once, on the main thread.
import type { SchemaElement } from 'hyparquet';

/** A column chunk to read: one leaf column of the row group. */
export interface ParquetColumnChunk {
  /** The leaf's path in the schema; the first name is the record field. */
  path: string[];
  type: string;
  codec: string;
  /** Bytes [start, end) of the file: the dictionary page (if any) and the data pages. */
  start: number;
  end: number;
}

export interface ParquetChunk {
  format: 'parquet';
  file: string;
  name: string;
  schema: SchemaElement[];
  /** Index of the row group in the file, for messages. */
  group: number;
  /** The file's row index (0-based) of the row group's first row. */
  groupStart: number;
  groupRows: number;
  /** Rows [rowStart, rowEnd) of the row group. */
  rowStart: number;
  rowEnd: number;
  /** The record fields, in schema order: the top-level columns the pipeline reads. */
  fields: string[];
  columns: ParquetColumnChunk[];
  /** on-error skip or dead-letter: accepted for symmetry; a Parquet chunk is read whole or fails. */
  rejects?: boolean;
}
