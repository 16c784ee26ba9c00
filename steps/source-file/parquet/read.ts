// Worker: the records of a Parquet chunk. Each column chunk read is one synchronous read of its byte
// range; a flat column is decoded by flat.ts (pages before the chunk's first row are not even
// decompressed), a nested one (list, struct, map) whole by hyparquet and assembled. Records are
// built by one object literal per set of fields, so they share a hidden class.
import fs from 'node:fs';
import { parquetSchema, type DataReader, type DecodedArray, type SchemaTree } from 'hyparquet';
import { assembleNested } from 'hyparquet/src/assemble.js';
import { readColumn } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { getTreePath } from 'hyparquet/src/schema.js';
import { flatten } from 'hyparquet/src/utils.js';
import { FlowError } from '../../../engine/contract/errors.js';
import { openInput, readAt } from '../readers/byte-range.js';
import type { ParquetChunk, ParquetColumnChunk } from './chunk.js';
import { compressors, prepareCodecs } from './compressors.js';
import type { Column, ColumnBatch } from '../../../engine/contract/step.js';
import { columnSpare, flatColumn, type ColumnSpare } from './columns.js';
import { flatValues, type ColumnDecoder } from './flat.js';
import { parsersFor, plain } from './values.js';

type Make = (columns: unknown[][], i: number) => Record<string, unknown>;
const makers = new Map<string, Make>();

/** `(columns, i) => ({ a: columns[0][i], b: columns[1][i] })` for these field names. */
function maker(names: string[]): Make {
  const key = JSON.stringify(names);
  let make = makers.get(key);
  if (!make) {
    // A computed key makes "__proto__" an own field rather than the prototype.
    const members = names.map((name, c) => `${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: columns[${c}][i]`);
    make = new Function(`"use strict"; return function (columns, i) { return { ${members.join(', ')} }; };`)() as Make;
    makers.set(key, make);
  }
  return make;
}

/** Once per worker, before the first chunk (the source's setup): the WebAssembly codecs. */
export const prepare = prepareCodecs;

/** Hands the chunk's records to `emit`, in row order. */
export function eachParquet(chunk: ParquetChunk, emit: (record: unknown) => void): void {
  const columns = readColumns(chunk);
  const make = maker(chunk.fields);
  const rows = chunk.rowEnd - chunk.rowStart;
  for (let i = 0; i < rows; i++) emit(make(columns, i));
}

export function readParquet(chunk: ParquetChunk): unknown[] {
  const records: unknown[] = [];
  eachParquet(chunk, (record) => records.push(record));
  return records;
}

/**
 * A worker's arrays of column values, refilled chunk after chunk: a row group's column is a large
 * array, which V8 allocates outside the young generation, so a fresh one per chunk costs old-space
 * collections. Once a chunk's records are built the values are copied into them.
 */
const spares: unknown[][] = [];

function spare(index: number): unknown[] {
  return (spares[index] ??= []);
}

/** The values of each field for the chunk's rows, as record values. */
function readColumns(chunk: ParquetChunk): unknown[][] {
  return eachField(
    chunk,
    (reader, decoder, index) => flatValues(reader, decoder, 0, chunk.groupRows, spare(index)),
    (values) => values,
  );
}

/** The chunk's records as columns (the source's `fast.columns`): dictionary-encoded flat columns of a whole row group as indices. */
export function parquetColumns(chunk: ParquetChunk): ColumnBatch {
  const columns = eachField<Column>(
    chunk,
    (reader, decoder, index) => flatColumn(reader, decoder, 0, chunk.groupRows, (columnSpares[index] ??= columnSpare())),
    (values) => ({ values }),
  );
  return { rows: chunk.rowEnd - chunk.rowStart, columns: new Map(chunk.fields.map((name, i) => [name, columns[i]!])) };
}

const columnSpares: ColumnSpare[] = [];

/**
 * Each field of the chunk decoded: a flat column of a whole row group by `whole`, any other (a
 * nested column, or a range of a group's rows) as record values given to `values`.
 */
function eachField<T>(chunk: ParquetChunk, whole: (reader: DataReader, decoder: ColumnDecoder, index: number) => T, values: (v: unknown[]) => T): T[] {
  const tree = parquetSchema({ schema: chunk.schema });
  const fd = openInput(chunk.file, chunk.name);
  try {
    return chunk.fields.map((name, index) => {
      const node = tree.children.find((child) => child.element.name === name)!;
      const leaves = chunk.columns.filter((column) => column.path[0] === name);
      try {
        if (node.children.length > 0) return values(nestedColumn(fd, chunk, tree, node, leaves));
        if (chunk.rowStart === 0 && chunk.rowEnd === chunk.groupRows) {
          const { reader, decoder } = open(fd, chunk, tree, leaves[0]!);
          return whole(reader, decoder, index);
        }
        return values(wholeGroup(fd, chunk, tree, leaves[0]!).slice(chunk.rowStart, chunk.rowEnd));
      } catch (error) {
        if (error instanceof FlowError) throw error;
        throw new FlowError({
          code: 'INPUT_FAILED',
          message: `cannot read ${chunk.name}, column ${name} of row group ${chunk.group}: ${error instanceof Error ? error.message : String(error)}`,
          record: { file: chunk.name },
          hint: 'the file may be damaged, or use a Parquet feature that is not read (see README, "Parquet")',
        });
      }
    });
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The column's values for its whole row group, kept for the next part of the same group: a writer
 * that puts a column chunk in one page (Polars does) makes each part decode all of it, and a worker
 * often gets several parts of a group in a row. One group is kept at a time.
 */
let kept: { group: string; columns: Map<string, unknown[]> } | undefined;

function wholeGroup(fd: number, chunk: ParquetChunk, tree: SchemaTree, leaf: ParquetColumnChunk): unknown[] {
  const { size, mtimeMs } = fs.fstatSync(fd);
  const group = `${chunk.file}\0${size}\0${mtimeMs}\0${chunk.group}`;
  if (kept?.group !== group) kept = { group, columns: new Map() };
  const key = leaf.path.join('.');
  let values = kept.columns.get(key);
  if (!values) {
    const { reader, decoder } = open(fd, chunk, tree, leaf);
    values = flatValues(reader, decoder, 0, chunk.groupRows);
    kept.columns.set(key, values);
  }
  return values;
}

/** A struct, list or map: every leaf of it decoded whole, then assembled (hyparquet's assembleNested). */
function nestedColumn(fd: number, chunk: ParquetChunk, tree: SchemaTree, node: SchemaTree, leaves: ParquetColumnChunk[]): unknown[] {
  const parts = new Map<string, DecodedArray>();
  for (const leaf of leaves) {
    const { reader, decoder } = open(fd, chunk, tree, leaf);
    const group = { groupStart: chunk.groupStart, groupRows: chunk.groupRows, selectStart: 0, selectEnd: chunk.rowEnd };
    parts.set(leaf.path.join('.'), flatten(readColumn(reader, group, decoder).data));
  }
  assembleNested(parts, node, { ...DEFAULT_PARSERS, ...parsersFor(node.element) });
  const data = parts.get(node.element.name);
  if (!data) throw new Error('the nested column could not be assembled');
  return Array.from((data as ArrayLike<unknown>).length >= chunk.rowEnd ? Array.prototype.slice.call(data, chunk.rowStart, chunk.rowEnd) : [], plain);
}

/** The column chunk's bytes, read at once, and hyparquet's decoder settings for its leaf. */
function open(fd: number, chunk: ParquetChunk, tree: SchemaTree, leaf: ParquetColumnChunk): { reader: DataReader; decoder: ColumnDecoder } {
  const length = leaf.end - leaf.start;
  const buf = Buffer.allocUnsafeSlow(length);
  const n = readAt(fd, buf, 0, length, leaf.start, chunk.name);
  if (n !== length) throw new Error(`the file ends inside the column chunk (${n} of ${length} bytes at offset ${leaf.start})`);
  const schemaPath = getTreePath(tree, leaf.path);
  const element = schemaPath[schemaPath.length - 1]!.element;
  const decoder: ColumnDecoder = {
    pathInSchema: leaf.path,
    type: element.type!,
    element,
    schemaPath,
    codec: leaf.codec as ColumnDecoder['codec'],
    parsers: { ...DEFAULT_PARSERS, ...parsersFor(element) },
    compressors,
    utf8: true,
  };
  return { reader: { view: new DataView(buf.buffer, buf.byteOffset, length), offset: 0 }, decoder };
}
