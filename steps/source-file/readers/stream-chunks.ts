// Main thread: a byte stream that cannot be cut by byte ranges (a gzip file, standard input, a FIFO,
// an HTTP body without ranges) cut into chunks of whole lines that carry their text (`bytes`) and the
// line number of their first line. Pulled lazily by dispatch's credit window, so the stream is read
// no faster than the workers take chunks: memory stays bounded whatever its size.
import { FlowError } from '../../../engine/contract/errors.js';
import type { CsvSettings, TextChunk, TextFormat } from './chunks.js';
import { headerNames } from './csv.js';

const NL = 10;

export interface StreamSpec {
  format: TextFormat;
  /** The path as given (absolute), or "-" for standard input. */
  file: string;
  /** How messages name it: "data/x.ndjson.gz", "<stdin>". */
  name: string;
  /** About this many bytes per chunk (longer only for a longer line). */
  bytes: number;
  /** csv and tsv: how they are read; `header` true takes the first line as the column names. */
  csv?: { header: boolean; delimiter: string; infer: boolean };
  fields?: string[];
  rejects?: boolean;
}

export interface StreamChunk {
  data: TextChunk;
  bytes: number;
}

/** Chunks of whole lines, in stream order. A UTF-8 byte-order mark at the start is dropped. */
export async function* streamChunks(source: AsyncIterable<Uint8Array>, spec: StreamSpec): AsyncGenerator<StreamChunk> {
  // The bytes not yet cut, in one buffer reused from chunk to chunk (grown for a longer line).
  let acc = Buffer.allocUnsafe(Math.max(64 * 1024, 2 * spec.bytes));
  let size = 0;
  let line = 1;
  let first = true;
  let csv: CsvSettings | undefined = spec.csv && !spec.csv.header ? { header: null, delimiter: spec.csv.delimiter, infer: spec.csv.infer } : undefined;
  const make = (end: number): StreamChunk => {
    // Bytes, not a string: the pool copies them into a shared slot its thread reads (pool/shared-text.ts).
    const bytes = acc.buffer.slice(acc.byteOffset, acc.byteOffset + end);
    const data: TextChunk = { format: spec.format, file: spec.file, name: spec.name, start: 0, end, bytes, line };
    if (csv) data.csv = csv;
    if (spec.fields && (spec.format === 'ndjson' || csv?.header)) data.fields = spec.fields;
    if (spec.rejects) data.rejects = true;
    line += countLines(acc, end);
    acc.copyWithin(0, end, size);
    size -= end;
    return { data, bytes: end };
  };
  const append = (piece: Uint8Array): void => {
    if (size + piece.length > acc.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * acc.length, size + piece.length));
      acc.copy(bigger, 0, 0, size);
      acc = bigger;
    }
    acc.set(piece, size);
    size += piece.length;
  };
  for await (const piece of source) {
    if (piece.length === 0) continue;
    append(piece);
    if (first) {
      // The first bytes: a byte-order mark (maybe split over pieces) and a CSV header line.
      if (size < 3 && isBomPrefix(acc.subarray(0, size))) continue;
      const bom = hasBom(acc.subarray(0, size)) ? 3 : 0;
      if (spec.csv?.header) {
        const end = acc.indexOf(NL, bom);
        if (end < 0 || end >= size) continue;
        csv = { header: headerNames(acc.subarray(bom, end), spec.csv.delimiter, spec.name), delimiter: spec.csv.delimiter, infer: spec.csv.infer };
        line = 2;
        acc.copyWithin(0, end + 1, size);
        size -= end + 1;
      } else if (bom > 0) {
        acc.copyWithin(0, 3, size);
        size -= 3;
      }
      first = false;
    }
    while (size >= spec.bytes) {
      // At the last newline within `bytes`, or after it for a longer line.
      let nl = acc.lastIndexOf(NL, spec.bytes - 1);
      if (nl < 0) nl = acc.indexOf(NL, spec.bytes);
      if (nl < 0 || nl >= size) break;
      yield make(nl + 1);
    }
  }
  if (first && size > 0) {
    // The whole stream is shorter than the header's line (or the BOM): it is the header.
    const bom = hasBom(acc.subarray(0, size)) ? 3 : 0;
    if (spec.csv?.header) {
      headerNames(acc.subarray(bom, size), spec.csv.delimiter, spec.name);
      return;
    }
    acc.copyWithin(0, bom, size);
    size -= bom;
  }
  if (size > 0) yield make(size);
}

function hasBom(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

function isBomPrefix(b: Buffer): boolean {
  return b.length < 3 && b.every((c, i) => c === [0xef, 0xbb, 0xbf][i]);
}

/** Lines the first `end` bytes hold: their newlines, and one more when the last line has none (only the stream's last chunk). */
function countLines(acc: Buffer, end: number): number {
  const b = acc.subarray(0, end);
  let n = 0;
  for (let i = b.indexOf(NL); i >= 0; i = b.indexOf(NL, i + 1)) n++;
  return end > 0 && b[end - 1] !== NL ? n + 1 : n;
}

/** A stream that failed while read (a truncated gzip file, a reset connection). */
export function streamFailed(name: string, cause: unknown): FlowError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new FlowError({
    code: 'INPUT_FAILED',
    message: `cannot read ${name}: ${why}`,
    record: { file: name },
    hint: /unexpected end|incorrect header|invalid/i.test(why)
      ? 'the compressed data is damaged or truncated: check the file with gzip -t'
      : 'check the input and run again',
  });
}
