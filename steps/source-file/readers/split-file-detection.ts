// Main thread, once per input: a binary or compressed file read as text is refused before any
// worker parses it as garbage. Known containers by their magic bytes, anything else with a NUL byte
// in its first 64 KiB (text never has one; UTF-16 has many).
import fs from 'node:fs';
import { FlowError } from '../../../engine/contract/errors.js';
import { giveBuffer, openInput, readAt, takeBuffer } from './byte-range.js';

const SAMPLE = 64 * 1024;

interface Magic {
  what: string;
  bytes: number[];
  /** More to check, for magic bytes that a text file could start with. */
  also?: (head: Buffer, size: number, fd: number, name: string) => boolean;
  why?: string;
  hint?: string;
}

const magics: Magic[] = [
  { what: 'a gzip file', bytes: [0x1f, 0x8b] },
  { what: 'a zip file', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { what: 'a zip file', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { what: 'a zstd file', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { what: 'an xz file', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  // "BZh" and a block size digit, then a block's magic (pi) or the end of an empty stream (sqrt pi).
  {
    what: 'a bzip2 file',
    bytes: [0x42, 0x5a, 0x68],
    also: (h) => h[3]! >= 0x31 && h[3]! <= 0x39 && (h[4] === 0x31 ? h[5] === 0x41 : h[4] === 0x17 && h[5] === 0x72),
  },
  // "PAR1" at both ends: a text file may start with PAR1, hardly end with it as well.
  {
    what: 'a Parquet file',
    bytes: [0x50, 0x41, 0x52, 0x31],
    also: (_h, size, fd, name) => size >= 8 && tail(fd, size, name) === 'PAR1',
    why: 'Parquet is not text',
    hint: 'read it with format: parquet (the default for a .parquet file)',
  },
];

function tail(fd: number, size: number, name: string): string {
  const buf = Buffer.alloc(4);
  readAt(fd, buf, 0, 4, size - 4, name);
  return buf.toString('latin1');
}

export interface NotText {
  /** What the file looks like: "a gzip file". */
  what: string;
  /** Why it is refused. */
  why: string;
  hint: string;
}

/** What a file's first bytes say it is, when it is not text; undefined for text. */
export function sniffBinary(file: string, name: string): NotText | undefined {
  const fd = openInput(file, name);
  const buf = takeBuffer(SAMPLE);
  try {
    const size = fs.fstatSync(fd).size;
    const head = buf.subarray(0, readAt(fd, buf, 0, Math.min(SAMPLE, size), 0, name));
    return sniffHead(head, size, fd, name);
  } finally {
    giveBuffer(buf);
    fs.closeSync(fd);
  }
}

/**
 * What the first bytes (up to 64 KiB) of a file or a stream say it is. A stream (no `fd`) has no end
 * to look at: magic bytes that need more than the head count as found.
 */
export function sniffHead(head: Buffer, size: number, fd: number | undefined, name: string): NotText | undefined {
  for (const m of magics) {
    if (
      head.length >= m.bytes.length &&
      m.bytes.every((b, i) => head[i] === b) &&
      (!m.also || (fd === undefined && m.also.length > 2) || m.also(head, size, fd!, name))
    ) {
      const gzip = m.bytes[0] === 0x1f;
      return {
        what: m.what,
        why: m.why ?? (gzip ? 'gzip inside gzip is not read' : 'only gzip is read among compressed formats'),
        hint: m.hint ?? (gzip ? 'decompress it once first' : 'decompress it first, or recompress it with gzip'),
      };
    }
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return { what: 'UTF-16 text', why: 'flow reads UTF-8 text', hint: 'convert it first: iconv -f UTF-16 -t UTF-8' };
  }
  const nul = head.indexOf(0);
  if (nul >= 0) return { what: `a binary file (a NUL byte at offset ${nul})`, why: 'text has no NUL bytes', hint: 'is this the file you meant to read?' };
  return undefined;
}

/** Whether a file starts with gzip's magic bytes (then it is read decompressed, as one stream). */
export function isGzipFile(file: string, name: string): boolean {
  const fd = openInput(file, name);
  try {
    const head = Buffer.alloc(2);
    return readAt(fd, head, 0, 2, 0, name) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/** INPUT_NOT_TEXT for what a file or a stream looks like. */
export function notText(found: NotText, name: string, format: string): FlowError {
  return new FlowError({
    code: 'INPUT_NOT_TEXT',
    message: `${name} looks like ${found.what}; ${found.why} (it was to be read as ${format})`,
    path: 'path',
    record: { file: name },
    hint: found.hint,
  });
}

/** Throws INPUT_NOT_TEXT when a file to be read as `format` (a text format) is binary or compressed. */
export function refuseBinary(file: string, name: string, format: string): void {
  const found = sniffBinary(file, name);
  if (found !== undefined) throw notText(found, name, format);
}
