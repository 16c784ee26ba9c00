// The `json` format, in a worker: a chunk's elements (`el, el, ...`, cut by json-array.ts) parsed as
// one array, or one by one when one of them is bad, to name it (or reject it, under on-error).
import fs from 'node:fs';
import { BadRecord } from '../../../engine/contract/bad-record.js';
import { FlowError } from '../../../engine/contract/errors.js';
import { giveBuffer, inputFailed, openInput, readAt, takeBuffer } from './byte-range.js';
import type { JsonChunk } from './chunks.js';
import { DuplicateKey, duplicateError, NumberOverflow, overflowError, parseExact } from './exact-json.js';
import { badUtf8, utf8Error } from './utf8.js';

/** Where a tolerant read found invalid UTF-8: the offset in the decoded text, and the error. */
interface BadText {
  at: number;
  error: FlowError;
}

/**
 * Worker: the bytes of a chunk, decoded. Invalid UTF-8 throws; with `bad` (on-error skip or
 * dead-letter) it is decoded as U+FFFD and the first bad byte of each line is listed there instead.
 */
export function jsonChunkText(chunk: JsonChunk, bad?: BadText[]): string {
  const length = chunk.end - chunk.start;
  const fd = openInput(chunk.file, chunk.name);
  const buf = takeBuffer(length);
  try {
    for (let got = 0; got < length;) {
      const n = readAt(fd, buf, got, length - got, chunk.start + got, chunk.name);
      if (n === 0) throw inputFailed(chunk.name, 'the file ended early (was it truncated?)');
      got += n;
    }
    for (let from = 0, found = badUtf8(buf, 0, length); found; found = badUtf8(buf, from, length)) {
      const error = utf8Error(chunk.name, chunk.line + buf.subarray(0, found.lineStart).filter((b) => b === 10).length, buf, found.lineStart, found.at);
      if (!bad) throw error;
      // The bytes before the bad one are whole characters: their decoded length is its offset.
      bad.push({ at: buf.toString('utf8', 0, found.at).length, error });
      const nl = buf.indexOf(10, found.at);
      if (nl < 0 || nl >= length) break;
      from = nl + 1;
    }
    return buf.toString('utf8', 0, length);
  } finally {
    giveBuffer(buf);
    fs.closeSync(fd);
  }
}

/**
 * The elements of a chunk. With `rejects` (on-error skip or dead-letter), an element that does not
 * parse, holds invalid UTF-8, an overflowing number or a repeated key is a BadRecord in its place;
 * without, the first of them in the file throws.
 */
export function readJsonChunk(chunk: JsonChunk): unknown[] {
  const bad: BadText[] = [];
  const text = jsonChunkText(chunk, bad);
  if (bad.length === 0) {
    try {
      return parseExact(`[${text}]`) as unknown[];
    } catch (err) {
      if (!chunk.rejects) throw located(chunk, text, err, -1); // -1: the '[' before the text
    }
  }
  return elementByElement(chunk, text, bad, chunk.rejects === true);
}

/** The error of a parse of text from `start` on that threw `err`, located in the file. */
function located(chunk: JsonChunk, text: string, err: unknown, start: number): FlowError {
  if (!(err instanceof NumberOverflow || err instanceof DuplicateKey)) return elementError(chunk, text, Math.max(0, start));
  const at = start + err.offset;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const line = chunk.line + countNewlines(text, 0, at);
  return err instanceof NumberOverflow ? overflowError(chunk.name, line, err, at - lineStart) : duplicateError(chunk.name, line, err, at - lineStart);
}

/** When the chunk has a bad element: each element parsed alone, a bad one rejected or thrown. */
function elementByElement(chunk: JsonChunk, text: string, bad: BadText[], rejects: boolean): unknown[] {
  const cuts = topLevelCommas(text, Infinity);
  const out: unknown[] = [];
  let next = 0; // the first entry of `bad` not yet passed
  for (let i = 0, from = 0; i <= cuts.length; i++) {
    const to = i < cuts.length ? cuts[i]! : text.length;
    const start = skipBlanks(text, from);
    const raw = text.slice(start, to).replace(/[ \t\r\n]+$/, '');
    while (next < bad.length && bad[next]!.at < from) next++;
    let error: FlowError | undefined;
    if (next < bad.length && bad[next]!.at < to) error = bad[next]!.error;
    else {
      try {
        out.push(parseExact(raw));
      } catch (err) {
        error = located(chunk, text, err, start);
      }
    }
    if (error && !rejects) throw error;
    if (error) out.push(new BadRecord(error.toJSON(), raw));
    from = to + 1;
  }
  return out;
}

/** On a failed parse only: parse element by element from `from` to name the bad one and its line. */
function elementError(chunk: JsonChunk, text: string, from: number): FlowError {
  const cuts = topLevelCommas(text, Infinity).filter((cut) => cut >= from);
  let message = 'a chunk does not parse';
  for (let i = 0; i <= cuts.length; i++) {
    const to = i < cuts.length ? cuts[i]! : text.length;
    try {
      JSON.parse(text.slice(from, to).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')); // JSON blanks only: a shorter message
    } catch (err) {
      message = (err as Error).message.replace(/ in JSON at position \d+.*$/, '');
      break;
    }
    from = to + 1;
  }
  return new FlowError({
    code: 'RECORD_PARSE',
    message: `invalid JSON: ${message}`,
    record: { file: chunk.name, line: chunk.line + countNewlines(text, 0, skipBlanks(text, from)) },
  });
}

/** Offsets of the commas between top-level elements, the first `max` of them. */
function topLevelCommas(text: string, max: number): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length && out.length < max; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 0) out.push(i);
  }
  return out;
}

function skipBlanks(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Main thread, on errors: the line where the k-th element of a chunk starts. */
export function jsonRecordLine(chunk: JsonChunk, k: number): number {
  const text = jsonChunkText(chunk, []);
  const cuts = topLevelCommas(text, k);
  const from = k === 0 ? 0 : cuts[k - 1]! + 1;
  return chunk.line + countNewlines(text, 0, skipBlanks(text, from));
}
