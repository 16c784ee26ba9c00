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
export function utf8Error(name: string, line: number, buf: Uint8Array, lineStart: number, at: number): FlowError {
  // The column in characters: the valid text before the bad byte, decoded.
  const column = Buffer.from(buf.buffer, buf.byteOffset + lineStart, at - lineStart).toString('utf8').length + 1;
  return new FlowError({
    code: 'RECORD_PARSE',
    message: `invalid UTF-8 at column ${column} (the byte 0x${buf[at]!.toString(16).padStart(2, '0')})`,
    record: { file: name, line },
    hint: 'flow reads text as UTF-8: convert the file first (iconv -f LATIN1 -t UTF-8, for example), or fix that line',
  });
}
