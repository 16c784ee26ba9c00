// The decoded text of the lines a range owns (byte-range.ts reads them): a block of whole lines at a
// time, split into lines or walked by index; invalid UTF-8 throws the error of its line, or is listed
// for on-error skip and dead-letter.
import { isAscii } from 'node:buffer';
import { byteBlocks, carriesText, newlinesBefore, pieceEnd, type LineRange } from './byte-range.js';
import { BadLines, badUtf8, utf8Error } from './utf8.js';

const NL = 10;

/**
 * The lines (without '\n' or '\r\n') a range owns, a block at a time. A UTF-8 byte-order mark at
 * the start of the file is dropped. Each block is an array the caller may keep. With `bad`, invalid
 * UTF-8 does not throw: see textBlocks; bad.lines are then the indices of those lines in the block.
 */
export function* lineBlocks(range: LineRange, bad?: BadLines): Generator<string[]> {
  for (const text of textBlocks(range, Infinity, bad)) {
    const lines = text.split('\n');
    if (bad && bad.starts.length > 0) bad.indexLines(lines);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
    }
    yield lines;
  }
}

/**
 * The text of whole lines a range owns, a block at a time: `text.split('\n')` are the lines of
 * lineBlocks (before their '\r' is cut). Readers that walk lines by index use it to skip the split.
 * With `most`, a block is cut at line ends into texts of about that many bytes (longer only for a
 * longer line): 64 KiB strings are made in V8's young space, where a 1 MiB one takes fresh pages.
 * Invalid UTF-8 throws the error of its line; with `bad` (on-error skip or dead-letter) such a line
 * is decoded with U+FFFD for each bad byte and listed in `bad` for the text just yielded instead.
 */
export function* textBlocks(range: LineRange, most = Infinity, bad?: BadLines): Generator<string> {
  if (range.text !== undefined && range.ascii) {
    yield* asciiPieces(range.text, most, bad);
    return;
  }
  for (const { buf, cut, base } of byteBlocks(range)) yield* pieces(buf, cut, most, range, base, bad);
}

/** Pieces of [0, cut) that end at a '\n' (dropped, as between the lines of one text). */
function* pieces(buf: Buffer, cut: number, most: number, range: LineRange, base: number, bad: BadLines | undefined): Generator<string> {
  for (let from = 0; ;) {
    const to = pieceEnd(buf, from, cut, most);
    yield decode(buf, from, to, range, base, bad);
    if (to === cut) break;
    from = to + 1;
  }
}

/** pieces() of an ASCII stream chunk's text: slices of the string, nothing copied or decoded. */
function* asciiPieces(text: string, most: number, bad: BadLines | undefined): Generator<string> {
  const n = text.length;
  const cut = n > 0 && text.charCodeAt(n - 1) === NL ? n - 1 : n;
  if (n === 0) return;
  for (let from = 0; ;) {
    let to = cut;
    if (cut - from > most) {
      const nl = text.lastIndexOf('\n', from + most - 1);
      const next = nl >= from ? nl : text.indexOf('\n', from + most);
      if (next >= 0 && next < cut) to = next;
    }
    if (bad && bad.starts.length > 0) bad.clear();
    yield text.slice(from, to);
    if (to === cut) break;
    from = to + 1;
  }
}

// ASCII text (most data files) decodes as latin1, a plain copy: about 3x faster than UTF-8 here.
// Other text must be valid UTF-8 (utf8.ts); `base` is the file offset of buf[0], to name the line.
function decode(buf: Buffer, start: number, end: number, range: LineRange, base: number, bad: BadLines | undefined): string {
  if (bad && bad.starts.length > 0) bad.clear();
  if (isAscii(buf.subarray(start, end))) return buf.toString('latin1', start, end);
  const found = badUtf8(buf, start, end);
  if (found && !bad) throw utf8Error(range.name, lineAt(range, buf, base + found.lineStart), buf, found.lineStart, found.at);
  if (found) bad!.find(buf, start, end);
  return buf.toString('utf8', start, end);
}

/** The 1-based line number of the line starting at byte `offset` of the file, or of a stream chunk's `text` (in buf). */
function lineAt(range: LineRange, buf: Buffer, offset: number): number | undefined {
  if (!carriesText(range)) return newlinesBefore(range.file, range.name, offset) + 1;
  if (range.line === undefined) return undefined;
  let count = 0;
  for (let i = buf.indexOf(NL); i >= 0 && i < offset; i = buf.indexOf(NL, i + 1)) count++;
  return range.line + count;
}
