// The `json` format: one top-level array. The main thread scans bytes (strings, escapes, depth)
// to cut the array between top-level elements without parsing them; a worker parses
// `[` + its byte range + `]`. The scan is lazy: chunks flow to workers while it proceeds.
import fs from 'node:fs';
import { BadRecord } from '../../../engine/contract/bad-record.js';
import { FlowError } from '../../../engine/contract/errors.js';
import { BLOCK, giveBuffer, inputFailed, openInput, readAt, takeBuffer } from './byte-range.js';
import type { JsonChunk } from './chunks.js';
import { DuplicateKey, duplicateError, NumberOverflow, overflowError, parseExact } from './exact-json.js';
import { badUtf8, utf8Error } from './utf8.js';

export interface JsonCut {
  /** Cut after about this many bytes... */
  bytes: number;
  /** ...or exactly this many elements, when set. */
  records?: number;
}

function arrayError(name: string, line: number, message: string, hint?: string): FlowError {
  return new FlowError({ code: 'RECORD_PARSE', message: `invalid JSON array: ${message}`, record: { file: name, line }, ...(hint ? { hint } : {}) });
}

const NOT_ARRAY_HINT = 'format json reads one top-level array; for one JSON value per line use format: ndjson';

/** Bytes that may continue a number or a literal (true, false, null) and mean nothing to the scan. */
const PLAIN = new Uint8Array(256);
for (const c of '0123456789+-.eEtruefalsn') PLAIN[c.charCodeAt(0)] = 1;

export interface JsonPiece {
  data: JsonChunk;
  bytes: number;
  records: number;
}

export function* scanJsonArray(file: string, name: string, cut: JsonCut): Generator<JsonPiece> {
  const fd = openInput(file, name);
  const buf = Buffer.allocUnsafe(BLOCK);
  let phase = 0; // 0 before '[', 1 inside the array, 2 after ']'
  let inString = false;
  let escape = false;
  let depth = 0; // nesting inside the current top-level element
  let line = 1;
  let start = 0; // the current chunk's first byte and line
  let startLine = 1;
  let first = 0;
  let count = 0; // elements ended by a top-level comma in the current chunk
  let commas = 0;
  let hasValue = false; // the current element has a non-blank byte
  const chunk = (end: number, records: number): JsonPiece => ({
    data: { format: 'json', file, name, start, end, line: startLine, first },
    bytes: end - start,
    records,
  });
  try {
    for (let base = 0; ;) {
      const n = readAt(fd, buf, 0, BLOCK, base, name);
      if (n === 0) break;
      for (let i = 0; i < n; i++) {
        let c = buf[i]!;
        if (inString) {
          if (escape) {
            escape = false;
            continue;
          }
          // Most bytes of a JSON file are inside strings: skip them in a tight loop.
          while (c !== 34 && c !== 92 && ++i < n) c = buf[i]!;
          if (i === n) break;
          if (c === 92) escape = true;
          else inString = false;
          continue;
        }
        if (c === 10) {
          line++;
          continue;
        }
        if (c === 32 || c === 9 || c === 13) continue;
        if (phase === 1) {
          if (c === 34) {
            inString = true;
            hasValue = true;
          } else if (c === 91 || c === 123) {
            depth++;
            hasValue = true;
          } else if (c === 93 || c === 125) {
            if (depth > 0) depth--;
            else if (c === 125) throw arrayError(name, line, "unexpected '}'");
            else {
              if (!hasValue && commas > 0) throw arrayError(name, line, "a comma before ']'");
              if (hasValue) yield chunk(base + i, count + 1);
              phase = 2;
            }
          } else if (c === 44 && depth === 0) {
            if (!hasValue) throw arrayError(name, line, "an empty element (',' with no value before it)");
            count++;
            commas++;
            hasValue = false;
            const pos = base + i;
            if (cut.records !== undefined ? count >= cut.records : pos - start >= cut.bytes) {
              yield chunk(pos, count);
              first += count;
              count = 0;
              start = pos + 1;
              startLine = line;
            }
          } else {
            hasValue = true;
            while (i + 1 < n && PLAIN[buf[i + 1]!] === 1) i++; // the rest of a number or literal
          }
        } else if (phase === 0 && c === 91) {
          phase = 1;
          start = base + i + 1;
          startLine = line;
        } else if (!(phase === 0 && base === 0 && i < 3 && (c === 0xef || c === 0xbb || c === 0xbf))) {
          throw arrayError(name, line, phase === 0 ? 'the file does not start with [' : "data after the closing ']'", NOT_ARRAY_HINT);
        }
      }
      base += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (phase === 0) throw arrayError(name, line, 'the file holds no array', NOT_ARRAY_HINT);
  if (phase === 1) throw arrayError(name, line, "the file ends before the array's closing ']'");
}

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
