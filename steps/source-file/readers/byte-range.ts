// Byte ranges of text files, read by worker threads: a range [start, end) owns every line that
// starts at an offset in [start, end). Reads are large (1 MiB) into recycled buffers, a block of
// whole lines at a time (text-blocks.ts decodes them: a '\n' byte never occurs inside a UTF-8
// sequence); line numbers are counted only when an error needs one.
import fs from 'node:fs';
import { FlowError } from '../../../engine/contract/errors.js';

export const BLOCK = 1 << 20;
const NL = 10;

/**
 * How much textBlocks reads at once, and the size of the texts the projecting readers walk. Tests
 * shrink them to put block boundaries anywhere; nothing else changes them.
 */
export const sizes = { read: BLOCK, piece: 1 << 16 };
const spare: Buffer[] = [];

/** A buffer of at least `size` bytes, recycled between chunks of the same worker. */
export function takeBuffer(size = BLOCK): Buffer {
  const i = spare.findIndex((b) => b.length >= size);
  return i >= 0 ? spare.splice(i, 1)[0]! : Buffer.allocUnsafe(Math.max(size, BLOCK));
}

export function giveBuffer(buf: Buffer): void {
  if (spare.length < 4) spare.push(buf);
}

export function inputFailed(name: string, cause: unknown): FlowError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new FlowError({
    code: 'INPUT_FAILED',
    message: `cannot read ${name}: ${why}`,
    record: { file: name },
    hint: 'the file was removed, truncated or made unreadable while the pipeline ran',
  });
}

export function openInput(file: string, name: string): number {
  try {
    return fs.openSync(file, 'r');
  } catch (err) {
    throw inputFailed(name, err);
  }
}

export function fileSize(fd: number, name: string): number {
  try {
    return fs.fstatSync(fd).size;
  } catch (err) {
    throw inputFailed(name, err);
  }
}

export function readAt(fd: number, buf: Buffer, offset: number, length: number, position: number, name: string): number {
  try {
    return fs.readSync(fd, buf, offset, length, position);
  } catch (err) {
    throw inputFailed(name, err);
  }
}

/** The first line start at or after `start`: 0, or just after the first '\n' at or after start-1. */
export function alignToLine(fd: number, start: number, size: number, name: string): number {
  if (start <= 0) return 0;
  if (start >= size) return size;
  const buf = takeBuffer(64 * 1024);
  try {
    for (let pos = start - 1; pos < size;) {
      const n = readAt(fd, buf, 0, Math.min(64 * 1024, size - pos), pos, name);
      if (n === 0) break;
      const i = buf.subarray(0, n).indexOf(NL);
      if (i >= 0) return pos + i + 1;
      pos += n;
    }
    return size;
  } finally {
    giveBuffer(buf);
  }
}

export interface LineRange {
  file: string;
  /** How the file is named in messages. */
  name: string;
  start: number;
  end: number;
  /**
   * A stream's chunk (stream-chunks.ts): its bytes, whole lines, read instead of the file, as a latin1
   * string (one character a byte, nothing decoded); start 0, end its length. A string, not a buffer:
   * V8 frees it like any heap object, where buffers made per chunk pile up in malloc's arenas.
   */
  text?: string;
  /**
   * A stream's chunk (stream-chunks.ts), instead of `text`: its bytes [0, end) in shared memory, which
   * the pool copies into a reused slot for its thread (engine/execution/pool/shared-text.ts: a string
   * posted to a thread is copied twice, and a buffer would have to be cloned too).
   */
  bytes?: ArrayBufferLike;
  /**
   * With `text` or `bytes`: the 1-based line number of its first line; unknown for a URL's byte range read on a
   * queue worker (http/range-text.ts): its errors then name no line, and the main thread locates them.
   */
  line?: number;
  /** With `text`: every byte is ASCII, so the string is the decoded text itself. */
  ascii?: boolean;
}

/** A stream's chunk, or a URL's fetched range: its text travels with it, there is no file to read. */
export function carriesText(range: LineRange): boolean {
  return range.text !== undefined || range.bytes !== undefined;
}

/** The aligned byte range a chunk owns; also checks the file did not shrink since it was split. */
export function ownedRange(fd: number, range: LineRange): { from: number; to: number } {
  const size = fileSize(fd, range.name);
  if (size < range.end) throw inputFailed(range.name, `the file shrank to ${size} bytes while it was read`);
  return { from: alignToLine(fd, range.start, size, range.name), to: alignToLine(fd, range.end, size, range.name) };
}

/**
 * Where a piece of the lines buf[from, cut) ends, about `most` bytes on: at the last '\n' within
 * them (the piece leaves it out), after them for a longer line, or at `cut`.
 */
export function pieceEnd(buf: Buffer, from: number, cut: number, most: number): number {
  if (cut - from <= most) return cut;
  const nl = buf.lastIndexOf(NL, from + most - 1);
  const next = nl >= from ? nl : buf.indexOf(NL, from + most);
  return next >= 0 && next < cut ? next : cut;
}

/** A block of whole lines: buf[0, cut) split at '\n' (before their '\r' is cut); `base` is the file offset of buf[0]. */
export interface ByteBlock {
  buf: Buffer;
  cut: number;
  base: number;
}

/**
 * The bytes of whole lines a range owns, a block at a time (about 1 MiB of a file; a stream's chunk
 * at once), a UTF-8 byte-order mark at the start of a file dropped. A block's buffer is recycled: it
 * is valid until the next one is asked for. Not decoded: textBlocks decodes them, the NDJSON columns
 * reader (ndjson-columns.ts) reads the bytes themselves.
 */
export function* byteBlocks(range: LineRange): Generator<ByteBlock> {
  if (range.bytes !== undefined) {
    // A view of the shared bytes: nothing copied.
    const buf = Buffer.from(range.bytes, 0, range.end);
    const n = buf.length;
    if (n > 0) yield { buf, cut: buf[n - 1] === NL ? n - 1 : n, base: 0 };
    return;
  }
  if (range.text !== undefined) {
    const n = range.text.length;
    const buf = takeBuffer(n);
    try {
      buf.write(range.text, 0, n, 'latin1');
      if (n > 0) yield { buf, cut: buf[n - 1] === NL ? n - 1 : n, base: 0 };
    } finally {
      giveBuffer(buf);
    }
    return;
  }
  const fd = openInput(range.file, range.name);
  let buf = takeBuffer();
  try {
    const { from, to } = ownedRange(fd, range);
    let pos = from;
    let filled = 0;
    if (pos === 0 && to >= 3) {
      const n = readAt(fd, buf, 0, 3, 0, range.name);
      if (n === 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    }
    while (pos < to || filled > 0) {
      if (pos < to) {
        if (filled === buf.length) buf = grow(buf, filled);
        const n = readAt(fd, buf, filled, Math.min(buf.length - filled, to - pos, sizes.read), pos, range.name);
        if (n === 0) throw inputFailed(range.name, 'the file ended early (was it truncated?)');
        pos += n;
        filled += n;
      }
      const done = pos >= to;
      const last = done ? filled : buf.lastIndexOf(NL, filled - 1);
      if (last < 0) continue; // a line longer than the buffer: read on
      // At the very end a trailing '\n' ends the last line rather than starting an empty one.
      const cut = done && filled > 0 && buf[filled - 1] === NL ? filled - 1 : last;
      yield { buf, cut, base: pos - filled };
      const rest = done ? 0 : filled - (last + 1);
      if (rest > 0) buf.copyWithin(0, last + 1, filled);
      filled = rest;
    }
  } finally {
    giveBuffer(buf);
    fs.closeSync(fd);
  }
}

function grow(buf: Buffer, used: number): Buffer {
  const bigger = Buffer.allocUnsafe(buf.length * 2);
  buf.copy(bigger, 0, 0, used);
  giveBuffer(buf);
  return bigger;
}

/** The 1-based line number of the `index`-th line a range owns (on errors only: it rereads). */
export function lineNumber(range: LineRange, index: number): number | undefined {
  if (carriesText(range)) return range.line === undefined ? undefined : range.line + index;
  const fd = openInput(range.file, range.name);
  let from: number;
  try {
    from = ownedRange(fd, range).from;
  } finally {
    fs.closeSync(fd);
  }
  return newlinesBefore(range.file, range.name, from) + index + 1;
}

/** Number of '\n' bytes before `offset`: turns a byte offset into a line number (on errors only). */
export function newlinesBefore(file: string, name: string, offset: number): number {
  const fd = openInput(file, name);
  const buf = takeBuffer();
  let count = 0;
  try {
    for (let pos = 0; pos < offset;) {
      const n = readAt(fd, buf, 0, Math.min(buf.length, offset - pos), pos, name);
      if (n === 0) break;
      for (let i = buf.indexOf(NL, 0); i >= 0 && i < n; i = buf.indexOf(NL, i + 1)) count++;
      pos += n;
    }
    return count;
  } finally {
    giveBuffer(buf);
    fs.closeSync(fd);
  }
}
