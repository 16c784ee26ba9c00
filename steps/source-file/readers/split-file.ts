// Main thread: the files a `path` names and the chunk descriptors that cut them. Only stats the
// files and reads a few bytes (a CSV header, a 64 KiB sample); the JSON scan is lazy (json-array.ts).
import fs from 'node:fs';
import path from 'node:path';
import { FlowError } from '../../../engine/contract/errors.js';
import type { ChunkingOptions } from '../../../engine/contract/step.js';
import { giveBuffer, inputFailed, openInput, readAt, takeBuffer } from './byte-range.js';
import type { CsvSettings, FileChunk, Format, TextChunk } from './chunks.js';
import { readCsvHeader } from './csv.js';
import { isGzipFile, refuseBinary } from './split-file-detection.js';
import { glob, hasMagic } from './glob.js';
import { scanJsonArray } from './json-array.js';
import { parquetChunks } from '../parquet/plan.js';

const MiB = 1 << 20;
const SAMPLE = 64 * 1024;

const byExtension: Record<string, Format> = {
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.txt': 'lines',
  '.log': 'lines',
  '.json': 'json',
  '.parquet': 'parquet',
};

export function inferFormat(file: string): Format | undefined {
  // x.csv.gz: the format of x.csv (gzip itself is known by its magic bytes).
  const ext = path.extname(file.replace(/\.gz$/i, '')).toLowerCase();
  return Object.hasOwn(byExtension, ext) ? byExtension[ext] : undefined;
}

/** Absolute paths, in name order. A literal file name wins over reading it as a glob. */
export function resolveInputs(pattern: string, pipelineDir: string): string[] {
  if (pattern === STDIN) return [STDIN];
  const absolute = path.resolve(pipelineDir, pattern);
  const stat = statOrUndefined(absolute);
  // A FIFO is read as a stream (stream-open.ts).
  if (stat?.isFile() || stat?.isFIFO()) return [absolute];
  const files = hasMagic(pattern) ? glob(absolute) : [];
  // A glob's walk skips FIFOs, but a link it follows may lead to a device.
  for (const file of files) {
    const found = statOrUndefined(file);
    if (found && !found.isFile() && !found.isFIFO()) throw notAFile(displayName(file, pipelineDir), file, found);
  }
  if (files.length > 0) return files;
  if (stat && !stat.isDirectory()) throw notAFile(pattern, absolute, stat);
  const folder = stat?.isDirectory() === true;
  throw new FlowError({
    code: 'NO_INPUT_MATCH',
    message: hasMagic(pattern) ? `no file matches ${pattern}` : folder ? `${pattern} is a folder, not a file` : `no such file: ${pattern}`,
    path: 'path',
    hint: folder ? `to read the files in it, use a glob such as ${path.posix.join(pattern, '*.ndjson')}` : "paths are relative to the pipeline file's folder",
  });
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** `path: "-"`: standard input, read as a stream. */
export const STDIN = '-';

/** A device or a socket: neither a file to cut into byte ranges nor a FIFO to read as a stream. */
function notAFile(name: string, file: string, stat: fs.Stats): FlowError {
  const kind = stat.isFIFO()
    ? 'a FIFO (a named pipe)'
    : stat.isCharacterDevice()
      ? 'a character device'
      : stat.isBlockDevice()
        ? 'a block device'
        : stat.isSocket()
          ? 'a socket'
          : 'a special file';
  const stdin = /^\/(dev\/stdin|dev\/fd\/0|proc\/self\/fd\/0)$/.test(file) ? ', standard input here' : '';
  return new FlowError({
    code: 'NO_INPUT_MATCH',
    message: `${name} is ${kind}${stdin}, not a regular file`,
    path: 'path',
    hint: 'the file source reads regular files, FIFOs and standard input (path: "-"): pipe it in, or save it to a file first',
  });
}

/** How messages name a file: relative to the pipeline's folder when inside it. */
export function displayName(file: string, pipelineDir: string): string {
  if (file === STDIN) return '<stdin>';
  const rel = path.relative(pipelineDir, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

export interface FileInput {
  file: string;
  name: string;
  size: number;
  format: Format;
  /** Read as one stream (stream-inputs.ts): gzip (by its magic bytes), a FIFO, standard input. */
  stream?: 'gzip' | 'pipe';
}

export interface CsvOptions {
  header?: boolean;
  delimiter?: string;
  infer?: boolean;
}

export function describeInputs(files: string[], pipelineDir: string, format: Format | undefined): FileInput[] {
  return files.map((file) => {
    const name = displayName(file, pipelineDir);
    const f = format ?? (file === STDIN ? undefined : inferFormat(file));
    if (f === undefined && file === STDIN) {
      throw new FlowError({
        code: 'INVALID_VALUE',
        message: 'path "-" (standard input) needs a format',
        path: 'path',
        hint: 'set format: ndjson, csv, tsv or lines (gzip is found by its magic bytes)',
      });
    }
    if (f === undefined) {
      throw new FlowError({
        code: 'INVALID_VALUE',
        message: `cannot tell the format of ${name} from its extension`,
        path: 'format',
        hint: 'set format: ndjson, csv, tsv, lines, json or parquet',
      });
    }
    // Parquet's metadata is at its end: read from a file, never from a stream.
    if (f === 'parquet' && (file === STDIN || statOrUndefined(file)?.isFIFO())) {
      throw new FlowError({
        code: 'INVALID_VALUE',
        message: `${name}: Parquet is read from a file, not a stream`,
        path: 'path',
        hint: 'save it to a file first',
      });
    }
    if (file === STDIN) return { file, name, size: 0, format: f, stream: 'pipe' };
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (err) {
      throw inputFailed(name, err);
    }
    if (stat.isFIFO()) return { file, name, size: 0, format: f, stream: 'pipe' };
    if (!stat.isFile()) throw notAFile(name, file, stat);
    const size = stat.size;
    if (size > 0 && f !== 'parquet' && isGzipFile(file, name)) return { file, name, size, format: f, stream: 'gzip' };
    if (size > 0 && f !== 'parquet') refuseBinary(file, name, f);
    return { file, name, size, format: f };
  });
}

/**
 * Bytes per chunk: `chunking.bytes`; else `chunking.records` times the mean line length of the
 * first 64 KiB (so records are honoured approximately); else a quarter of the input per worker,
 * between 1 and 8 MiB, so that a 10 MB file still feeds every worker. When the workers reduce the
 * records (`reduced`), an eighth per worker and up to 32 MiB: no chunk's records are ever held, and
 * fewer partial results are passed and merged (the 1.1 GB group-by: 1.75 s -> 1.58 s here).
 */
export function chunkBytes(chunking: ChunkingOptions, workers: number, totalBytes: number, sample?: FileInput, from = 0, reduced = false): number {
  if (chunking.bytes !== undefined) return Math.max(1, Math.floor(chunking.bytes));
  if (chunking.records !== undefined && sample) return Math.max(1, Math.round(chunking.records * meanLineBytes(sample, from)));
  const [share, most] = reduced ? [8, 32 * MiB] : [4, 8 * MiB];
  return Math.min(most, Math.max(MiB, Math.ceil(totalBytes / (Math.max(1, workers || 1) * share))));
}

function meanLineBytes(input: FileInput, from: number): number {
  const fd = openInput(input.file, input.name);
  const buf = takeBuffer(SAMPLE);
  try {
    const n = readAt(fd, buf, 0, SAMPLE, from, input.name);
    let lines = 0;
    for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
    return n / Math.max(1, lines);
  } finally {
    giveBuffer(buf);
    fs.closeSync(fd);
  }
}

export interface Cut {
  chunking: ChunkingOptions;
  workers: number;
  totalBytes: number;
  csv?: CsvOptions;
  /** The fields the pipeline reads (SplitContext.fields): NDJSON and CSV with a header keep only these. */
  fields?: string[];
  /** SplitContext.reduced: the workers reduce the records. */
  reduced?: boolean;
}

/** The chunks of one text file, built eagerly (a header read and a stat per file). */
export function textChunks(input: FileInput, cut: Cut): TextChunk[] {
  const format = input.format as TextChunk['format'];
  let from = 0;
  let csv: CsvSettings | undefined;
  if (format === 'csv' || format === 'tsv') {
    const delimiter = cut.csv?.delimiter ?? (format === 'tsv' ? '\t' : ',');
    let header: string[] | null = null;
    if (cut.csv?.header ?? true) {
      const read = readCsvHeader(input.file, input.name, delimiter);
      header = read.names;
      from = read.end;
    }
    csv = { header, delimiter, infer: cut.csv?.infer ?? true };
  }
  const step = chunkBytes(cut.chunking, cut.workers, cut.totalBytes, input, from, cut.reduced);
  // Rows without a header are arrays, and `lines` are strings: nothing to project.
  const fields = cut.fields && (format === 'ndjson' || (csv && csv.header !== null)) ? cut.fields : undefined;
  const chunks: TextChunk[] = [];
  for (let start = from; start < input.size; start += step) {
    const chunk: TextChunk = { format, file: input.file, name: input.name, start, end: Math.min(input.size, start + step) };
    if (csv) chunk.csv = csv;
    if (fields) chunk.fields = fields;
    chunks.push(chunk);
  }
  return chunks;
}

export interface FileChunkOut {
  data: FileChunk;
  bytes: number;
  records?: number;
}

/** All chunks, file after file; a JSON file's are produced while it is scanned. */
export function* fileChunks(inputs: FileInput[], cut: Cut, texts: Map<FileInput, TextChunk[]>): Generator<FileChunkOut> {
  for (const input of inputs) {
    if (input.format === 'parquet') {
      // Sized in the records' worth of text (parquet/plan.ts), as chunkBytes sizes a text file's chunks.
      const target = (textBytes: number) => chunkBytes({ bytes: cut.chunking.bytes }, cut.workers, textBytes, undefined, 0, cut.reduced);
      const records = cut.chunking.records;
      yield* parquetChunks(input.file, input.name, input.size, { target, ...(records ? { records } : {}), ...(cut.fields ? { fields: cut.fields } : {}) });
    } else if (input.format === 'json') {
      const bytes = chunkBytes({ bytes: cut.chunking.bytes }, cut.workers, cut.totalBytes);
      const records = cut.chunking.records;
      yield* scanJsonArray(input.file, input.name, records ? { bytes, records } : { bytes });
    } else {
      for (const data of texts.get(input) ?? []) yield { data, bytes: data.end - data.start };
    }
  }
}
