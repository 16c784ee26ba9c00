// Invalid UTF-8 is a record error naming its line, never text quietly changed to U+FFFD. A block is
// checked at once (isUtf8 is native and fast); the bad line is looked for only when the check fails.
import { isUtf8 } from 'node:buffer';
import { FlowError } from '../../../engine/contract/errors.js';

/** Where the first invalid sequence of buf[from, to) is: the start of its line and its own offset. */
export function badUtf8(buf: Uint8Array, from: number, to: number): { lineStart: number; at: number } | undefined {
  if (isUtf8(buf.subarray(from, to))) return undefined;
  // A '\n' byte never occurs inside a UTF-8 sequence: lines can be checked one by one.
  for (let start = from; start < to;) {
    let end = buf.indexOf(10, start);
    if (end < 0 || end > to) end = to;
    if (!isUtf8(buf.subarray(start, end))) return { lineStart: start, at: firstInvalid(buf, start, end) };
    start = end + 1;
  }
  return undefined;
}

/** The offset of the first byte that does not start or continue a valid sequence (RFC 3629). */
function firstInvalid(buf: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to;) {
    const c = buf[i]!;
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing past U+10FFFF
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = buf[i + k];
      if (i + k >= to || d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return to;
}

/** The record error for invalid UTF-8 at byte `at` of a line starting at byte `lineStart` of `buf`. */
export function utf8Error(name: string, line: number | undefined, buf: Uint8Array, lineStart: number, at: number): FlowError {
  return utf8LineError(name, columnOf(buf, lineStart, at), buf[at]!, line);
}

/** The same error from the column (in characters) and the value of the first bad byte. */
export function utf8LineError(name: string, column: number, byte: number, line: number | undefined): FlowError {
  return new FlowError({
    code: 'RECORD_PARSE',
    message: `invalid UTF-8 at column ${column} (the byte 0x${byte.toString(16).padStart(2, '0')})`,
    record: { file: name, line },
    hint: 'flow reads text as UTF-8: convert the file first (iconv -f LATIN1 -t UTF-8, for example), or fix that line',
  });
}

// The column in characters: the valid text before the bad byte, decoded.
function columnOf(buf: Uint8Array, lineStart: number, at: number): number {
  return Buffer.from(buf.buffer, buf.byteOffset + lineStart, at - lineStart).toString('utf8').length + 1;
}

/**
 * on-error skip or dead-letter: the lines of a decoded text (textBlocks) that hold invalid UTF-8, so
 * that a reader rejects each of them alone. Empty for a valid text, the usual case.
 */
export class BadLines {
  /** Offsets in the text where the bad lines start, ascending. */
  readonly starts: number[] = [];
  /** For lineBlocks: the indices of those lines among the text's lines. */
  readonly lines: number[] = [];
  /** The column (in characters) and the value of each bad line's first invalid byte. */
  readonly columns: number[] = [];
  readonly bytes: number[] = [];

  clear(): void {
    this.starts.length = this.lines.length = this.columns.length = this.bytes.length = 0;
  }

  /** Lists the bad lines of buf[from, to), the bytes of the text just decoded with U+FFFD. */
  find(buf: Buffer, from: number, to: number): void {
    // The lines between two bad ones end at a '\n': decoded alone, they are as long as in the text.
    let byte = from;
    let char = 0;
    for (let start = from; start < to;) {
      let end = buf.indexOf(10, start);
      if (end < 0 || end > to) end = to;
      if (!isUtf8(buf.subarray(start, end))) {
        char += buf.toString('utf8', byte, start).length;
        byte = start;
        const at = firstInvalid(buf, start, end);
        this.starts.push(char);
        this.columns.push(columnOf(buf, start, at));
        this.bytes.push(buf[at]!);
      }
      start = end + 1;
    }
  }

  /** Sets `lines` from `starts` for the lines of the text, split at '\n'. */
  indexLines(lines: readonly string[]): void {
    this.lines.length = 0;
    let k = 0;
    for (let i = 0, at = 0; i < lines.length && k < this.starts.length; at += lines[i]!.length + 1, i++) {
      if (at === this.starts[k]) {
        this.lines.push(i);
        k++;
      }
    }
  }
}
