// Main thread: a Parquet file's footer, read with two small reads at its end, and the names of its
// top-level columns (the record fields).
import fs from 'node:fs';
import { parquetMetadata, parquetSchema, type FileMetaData } from 'hyparquet';
import { FlowError } from '../../../engine/contract/errors.js';
import { openInput, readAt } from '../readers/byte-range.js';

// The last footer read, by file, size and time of change: validation reads it for the field names,
// then the split for the row groups (2 to 4 ms each on the flights file).
let last: { key: string; metadata: FileMetaData } | undefined;

/** The footer of `file`; a file that is not Parquet, or is cut short, is INPUT_FAILED naming it. */
export function readParquetMetadata(file: string, name: string): FileMetaData {
  const fd = openInput(file, name);
  try {
    const { size, mtimeMs, ino } = fs.fstatSync(fd);
    const key = `${file}\0${size}\0${mtimeMs}\0${ino}`;
    if (last?.key === key) return last.metadata;
    const metadata = readFooter(fd, size, name);
    last = { key, metadata };
    return metadata;
  } finally {
    fs.closeSync(fd);
  }
}

function readFooter(fd: number, size: number, name: string): FileMetaData {
  if (size < 12) throw notParquet(name, 'it is too short');
  const tail = Buffer.alloc(8);
  readAt(fd, tail, 0, 8, size - 8, name);
  if (tail.toString('latin1', 4) !== 'PAR1') throw notParquet(name, 'it does not end with the Parquet magic bytes PAR1');
  const length = tail.readUInt32LE(0);
  if (length + 12 > size) throw notParquet(name, `its footer says ${length} bytes of metadata, more than the file holds`);
  const footer = Buffer.alloc(length + 8);
  readAt(fd, footer, 0, length + 8, size - 8 - length, name);
  try {
    return parquetMetadata(footer);
  } catch (error) {
    throw notParquet(name, `its metadata cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The top-level column names, in schema order. */
export function topLevelNames(metadata: FileMetaData): string[] {
  return parquetSchema(metadata).children.map((child) => child.element.name);
}

function notParquet(name: string, why: string): FlowError {
  return new FlowError({
    code: 'INPUT_FAILED',
    message: `cannot read ${name} as Parquet: ${why}`,
    record: { file: name },
    hint: 'is this a Parquet file? set format: to read it as another format',
  });
}
