// The chunk descriptors of the `file` source: plain data handed from the main thread to workers.
import type { LineRange } from './byte-range.js';
import type { ParquetChunk } from '../parquet/chunk.js';

export type TextFormat = 'ndjson' | 'csv' | 'tsv' | 'lines';
export type Format = TextFormat | 'json' | 'parquet';
export const formats: readonly Format[] = ['ndjson', 'csv', 'tsv', 'lines', 'json', 'parquet'];

export interface CsvSettings {
  /** Column names read once on the main thread, or null when rows are arrays. */
  header: string[] | null;
  delimiter: string;
  infer: boolean;
}

/** A byte range of a text file; the worker aligns both ends to line starts. */
export interface TextChunk extends LineRange {
  format: TextFormat;
  csv?: CsvSettings;
  /** ndjson, csv and tsv: the top-level fields the pipeline reads; records keep only these. */
  fields?: string[];
  /** on-error skip or dead-letter: a line that cannot be read becomes a BadRecord (reject.ts). */
  rejects?: boolean;
}

/** Whole top-level elements of a JSON array: bytes [start, end) are `el, el, ...`. */
export interface JsonChunk extends LineRange {
  format: 'json';
  /** 1-based line of `start`. */
  line: number;
  /** Index in the array of the chunk's first element. */
  first: number;
  /** on-error skip or dead-letter: an element that cannot be read becomes a BadRecord (json-array.ts). */
  rejects?: boolean;
}

export type FileChunk = TextChunk | JsonChunk | ParquetChunk;
