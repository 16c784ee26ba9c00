// The `json` format: one top-level array. The main thread scans bytes (strings, escapes, depth)
// to cut the array between top-level elements without parsing them; a worker parses
// `[` + its byte range + `]` (json-chunk.ts). The scan is lazy: chunks flow to workers while it proceeds.
import fs from 'node:fs';
import { FlowError } from '../../../engine/contract/errors.js';
import { BLOCK, readAt, openInput } from './byte-range.js';
import type { JsonChunk } from './chunks.js';

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
