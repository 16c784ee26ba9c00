// Main thread: a Parquet file's chunks. A chunk is a row group, or a range of its rows when the group
// is much bigger than the chunk target (or `chunking.records` asks for fewer rows), so that one big
// row group still feeds every worker and a map-only run holds fewer records at once. Sizes are in
// records' worth of text, as for the text formats: Parquet's compressed bytes say little of what the
// records weigh once decoded (the flights file is 13 MB, its NDJSON 277 MB). Only the column chunks
// of the fields the pipeline reads are listed: the others are never read nor decoded.
import type { FileMetaData } from 'hyparquet';
import type { ParquetChunk, ParquetColumnChunk } from './chunk.js';
import { readParquetMetadata, topLevelNames } from './metadata.js';

export interface ParquetCut {
  /** Target bytes per chunk for an input of `textBytes` (split-file.ts's chunkBytes). */
  target(textBytes: number): number;
  /** chunking.records, when set. */
  records?: number;
  /** The fields the pipeline reads; undefined: all. */
  fields?: string[];
}

export interface ParquetChunkOut {
  data: ParquetChunk;
  bytes: number;
  records: number;
}

/** A record's size as NDJSON text, roughly: its field names and 16 bytes a value. */
export function rowTextBytes(fields: readonly string[]): number {
  return 2 + fields.reduce((sum, name) => sum + name.length + 20, 0);
}

/** Rows per part of a row group of `rows` rows, for a target of `target` rows a chunk. */
export function rowsPerPart(rows: number, target: number): number {
  // "Much bigger": a group up to twice the target stays whole (a part decodes the pages it overlaps).
  if (rows <= 2 * target) return Math.max(1, rows);
  return Math.ceil(rows / Math.ceil(rows / target));
}

/** `size`: the file's bytes, shared out among the chunks by rows for progress. */
export function* parquetChunks(
  file: string,
  name: string,
  size: number,
  cut: ParquetCut,
  metadata: FileMetaData = readParquetMetadata(file, name),
): Generator<ParquetChunkOut> {
  const names = topLevelNames(metadata);
  const fields = cut.fields ? names.filter((n) => cut.fields!.includes(n)) : names;
  const wanted = new Set(fields);
  const schema = metadata.schema;
  const total = Math.max(1, Number(metadata.num_rows));
  const rowBytes = rowTextBytes(fields);
  const target = cut.records !== undefined ? Math.max(1, Math.floor(cut.records)) : Math.max(1, Math.floor(cut.target(total * rowBytes) / rowBytes));
  let groupStart = 0;
  for (let group = 0; group < metadata.row_groups.length; group++) {
    const rowGroup = metadata.row_groups[group]!;
    const rows = Number(rowGroup.num_rows);
    const columns: ParquetColumnChunk[] = [];
    for (const column of rowGroup.columns) {
      const meta = column.meta_data;
      if (!meta || !wanted.has(meta.path_in_schema[0]!)) continue;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const length = Number(meta.total_compressed_size);
      // Only where the bytes are: statistics and the like stay behind (a chunk is cloned to a worker).
      columns.push({ path: meta.path_in_schema, type: meta.type, codec: meta.codec, start, end: start + length });
    }
    const per = cut.records !== undefined ? target : rowsPerPart(rows, target);
    for (let from = 0; from < rows; from += per) {
      const to = Math.min(rows, from + per);
      const data: ParquetChunk = { format: 'parquet', file, name, schema, group, groupStart, groupRows: rows, rowStart: from, rowEnd: to, fields, columns };
      yield { data, bytes: Math.round((size * (to - from)) / total), records: to - from };
    }
    groupStart += rows;
  }
}
