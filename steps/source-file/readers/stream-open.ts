// Main thread: the text of a stream input (a gzip file, standard input, a FIFO; an HTTP body can come
// the same way), as a byte stream for stream-chunks.ts. gzip is known by its magic bytes (1f 8b) and
// inflated by zlib, off this thread, member after member; whatever the text turns out to be is sniffed
// like a file's first 64 KiB (split-file-detection.ts), so a binary stream is refused, not parsed.
import fs from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { FlowError } from '../../../engine/contract/errors.js';
import type { Gunzip } from 'node:zlib';
import { zlib } from '../../kit/zlib.js';
import { notText, sniffHead } from './split-file-detection.js';
import { streamFailed } from './stream-chunks.js';

const PIECE = 256 * 1024;
const HEAD = 64 * 1024;

/** Where a stream input comes from: a path (a .gz file or a FIFO), or "-" for standard input. */
export function openByteStream(file: string): Readable {
  if (file === '-') return process.stdin;
  return fs.createReadStream(file, { highWaterMark: PIECE });
}

/**
 * The decoded text of `raw`: inflated when it starts with gzip's magic bytes. Errors (a damaged gzip
 * member, a read failure) are INPUT_FAILED naming the input; a binary text is INPUT_NOT_TEXT.
 */
export async function* decodedStream(raw: AsyncIterable<Uint8Array>, name: string, format: string): AsyncGenerator<Buffer> {
  const it = raw[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let got = 0;
  let ended = false;
  try {
    while (got < 2) {
      const next = await it.next();
      if (next.done) {
        ended = true;
        break;
      }
      const b = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      first.push(b);
      got += b.length;
    }
  } catch (error) {
    throw streamFailed(name, error);
  }
  const head = Buffer.concat(first, got);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    try {
      for (let next = await it.next(); !next.done; next = await it.next()) yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    } finally {
      // Stopped early (a failed run): the file is closed now, not when collected.
      await it.return?.();
    }
  }
  const text: AsyncIterable<Buffer> = gzip ? pipeline(Readable.from(rest(), { objectMode: false }), inflater(), () => {}) : rest();
  yield* sniffed(text, name, format);
}

/** gzip members one after another (zlib's Gunzip reads concatenated members), in pieces of 256 KiB. */
function inflater(): Gunzip {
  return zlib().createGunzip({ chunkSize: PIECE });
}

/** The text, after its first 64 KiB were found to be text. */
async function* sniffed(text: AsyncIterable<Buffer>, name: string, format: string): AsyncGenerator<Buffer> {
  const held: Buffer[] = [];
  let size = 0;
  let checked = false;
  try {
    for await (const piece of text) {
      if (checked) {
        yield piece;
        continue;
      }
      held.push(piece);
      size += piece.length;
      if (size < HEAD) continue;
      checked = true;
      check(Buffer.concat(held, size), name, format);
      yield* held.splice(0);
    }
  } catch (error) {
    if (error instanceof FlowError) throw error;
    throw streamFailed(name, error);
  }
  if (!checked) {
    check(Buffer.concat(held, size), name, format);
    yield* held;
  }
}

function check(head: Buffer, name: string, format: string): void {
  const found = sniffHead(head.subarray(0, HEAD), Infinity, undefined, name);
  if (found) throw notText(found, name, format);
}
