// CSV and TSV: RFC 4180 quoting within a line, a header read once on the main thread, and
// DuckDB-like field typing (an empty field is null).
import fs from 'node:fs';
import { FlowError } from '../../../engine/contract/errors.js';
import { giveBuffer, lineNumber, openInput, readAt, takeBuffer, type LineRange } from './byte-range.js';
import { lineBlocks } from './text-blocks.js';
import type { CsvSettings, TextChunk } from './chunks.js';
import { recordLine } from './lines.js';
import { NumberOverflow } from './exact-json.js';
import { rejecter } from './reject.js';
import { BadLines, badUtf8, utf8Error, utf8LineError } from './utf8.js';
import { setField } from '../../kit/record.js';

/**
 * The fields of one line; `quoted[i]` tells whether field i was quoted. Null when a quoted field
 * is still open at the end of the line. A quote inside an unquoted field is kept as text.
 */
export function splitCsvLine(line: string, delim: string, quoted: boolean[]): string[] | null {
  quoted.length = 0;
  if (line.indexOf('"') < 0) return line.split(delim);
  const out: string[] = [];
  for (let i = 0; ;) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return null;
        if (line.charCodeAt(q + 1) === 34) {
          value += line.slice(j, q + 1); // "" is one quote
          j = q + 2;
          continue;
        }
        value += line.slice(j, q);
        i = q + 1;
        break;
      }
      const d = line.indexOf(delim, i);
      quoted[out.length] = true;
      out.push(value + line.slice(i, d < 0 ? line.length : d)); // text after the closing quote is kept
      if (d < 0) return out;
      i = d + 1;
    } else {
      const d = line.indexOf(delim, i);
      out.push(line.slice(i, d < 0 ? line.length : d));
      if (d < 0) return out;
      i = d + 1;
    }
  }
}

/**
 * A number as written by people and programs: [+-] digits [. digits] [e [+-] digits], or .5;
 * a leading zero ("007", a zip code) keeps it text. A hand-written scan: a RegExp per field is slow.
 */
export function isNumeric(s: string): boolean {
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i);
  let digits = 0;
  if (c === 48) {
    digits = 1;
    c = s.charCodeAt(++i);
    if (c >= 48 && c <= 57) return false;
  } else {
    while (c >= 48 && c <= 57) {
      digits++;
      c = s.charCodeAt(++i);
    }
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      digits++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return false;
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let exponent = 0;
    while (c >= 48 && c <= 57) {
      exponent++;
      c = s.charCodeAt(++i);
    }
    if (exponent === 0) return false;
  }
  return i === s.length;
}

/** What inferValue gives for a number too large for a double: the reader makes it a record error. */
export const OVERFLOW = Symbol('a number beyond a double');

/** Typing of one field: numbers, booleans, else the text itself; OVERFLOW for a number beyond a double. */
export function inferValue(text: string): unknown {
  const c = text.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (!isNumeric(text)) return text;
    const n = Number(text);
    // An integer past 2^53 would lose digits: an exact BigInt. A number beyond a double is an error, as in NDJSON.
    if (!Number.isSafeInteger(n) && /^[-+]?\d+$/.test(text)) return BigInt(text);
    return n === Infinity || n === -Infinity ? OVERFLOW : n;
  }
  if (c === 116 || c === 84 || c === 102 || c === 70) {
    if (text === 'true' || text === 'TRUE' || text === 'True') return true;
    if (text === 'false' || text === 'FALSE' || text === 'False') return false;
  }
  return text;
}

/** A field's value: with `infer`, an empty field is null, a quoted empty one "". */
export function fieldValue(text: string, quoted: boolean, infer: boolean): unknown {
  if (!infer) return text;
  return text === '' ? (quoted ? '' : null) : inferValue(text);
}

export function* readCsv(chunk: TextChunk): Generator<unknown> {
  const { header, delimiter, infer } = chunk.csv!;
  const quoted: boolean[] = [];
  const reject = rejecter(chunk);
  // A line of invalid UTF-8 is rejected (or thrown, without on-error) alone, in its turn (utf8.ts).
  const bad = new BadLines();
  let index = 0;
  for (const block of lineBlocks(chunk, bad)) {
    let u = bad.lines.length > 0 ? 0 : -1; // the next bad line of the block
    for (let b = 0; b < block.length; b++, index++) {
      const line = block[b]!;
      if (u >= 0 && bad.lines[u] === b) {
        yield reject(index, line, utf8LineError, chunk.name, bad.columns[u]!, bad.bytes[u]!);
        if (++u === bad.lines.length) u = -1;
        continue;
      }
      if (line === '') continue;
      const fields = splitCsvLine(line, delimiter, quoted);
      if (fields === null) {
        yield reject(index, line, openQuote, chunk);
        continue;
      }
      if (header === null) {
        const values = infer ? fields.map((f, i) => fieldValue(f, quoted[i] === true, true)) : fields;
        const over = infer ? values.indexOf(OVERFLOW) : -1;
        yield over < 0 ? values : reject(index, line, overflowField, chunk, `field ${over + 1}`, fields[over]!);
        continue;
      }
      if (fields.length !== header.length) {
        yield reject(index, line, rowWidth, chunk, index, fields.length);
        continue;
      }
      const row: Record<string, unknown> = {};
      let over = -1;
      for (let i = 0; i < header.length; i++) {
        const value = fieldValue(fields[i]!, quoted[i] === true, infer);
        if (value === OVERFLOW) {
          over = i;
          break;
        }
        // setField: a column named __proto__ is an own field, not the row's prototype.
        setField(row, header[i]!, value);
      }
      yield over < 0 ? row : reject(index, line, overflowField, chunk, `the field ${JSON.stringify(header[over])}`, fields[over]!);
    }
  }
}

/** A field holding a number too large for a double, as NDJSON's (exact-json.ts) but naming the field. */
export function overflowField(chunk: LineRange, field: string, text: string, line: number | undefined): FlowError {
  return new FlowError({
    code: 'RECORD_PARSE',
    message: `${new NumberOverflow(text, 0).message}, in ${field}`,
    record: { file: chunk.name, line },
    hint: 'numbers must fit a 64-bit float (up to about 1.8e308): to read such fields as text, set csv.infer to false',
  });
}

/** A row whose field count is not the header's; `index` is the line's index in the chunk. */
export function rowWidth(chunk: TextChunk, index: number, count: number, line = lineNumber(chunk, index)): FlowError {
  const { header, delimiter } = chunk.csv!;
  return new FlowError({
    code: 'RECORD_PARSE',
    message: `the row has ${count} fields but the header has ${header!.length}`,
    record: { file: chunk.name, line },
    hint: `check the delimiter (${JSON.stringify(delimiter)}) and the quoting of this row`,
  });
}

export function openQuote(chunk: LineRange, line: number | undefined): FlowError {
  return new FlowError({
    code: 'RECORD_PARSE',
    message: 'a quoted field is not closed on its line (a newline inside a quoted field?)',
    record: { file: chunk.name, line },
    hint:
      'flow cuts CSV files at line breaks to read them in parallel, so a quoted field cannot span lines: ' +
      'replace the newlines inside fields, or convert the file to NDJSON',
  });
}

export function csvRecordLine(range: LineRange, k: number): number | undefined {
  return recordLine(range, k, (line) => line !== '');
}

/** Main thread, once per file: the header's column names and the byte offset after it. */
export function readCsvHeader(file: string, name: string, delimiter: string): { names: string[]; end: number } {
  const fd = openInput(file, name);
  const buf = takeBuffer(64 * 1024);
  try {
    let text = Buffer.alloc(0);
    for (let pos = 0; ;) {
      const n = readAt(fd, buf, 0, 64 * 1024, pos, name);
      const nl = buf.subarray(0, n).indexOf(10);
      text = Buffer.concat([text, buf.subarray(0, nl >= 0 ? nl : n)]);
      pos += n;
      if (nl >= 0 || n === 0) return { names: headerNames(text, delimiter, name), end: nl >= 0 ? pos - n + nl + 1 : pos };
    }
  } finally {
    giveBuffer(buf);
    fs.closeSync(fd);
  }
}

export function headerNames(bytes: Buffer, delimiter: string, name: string): string[] {
  const bad = badUtf8(bytes, 0, bytes.length);
  if (bad) throw utf8Error(name, 1, bytes, bad.lineStart, bad.at);
  const line = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '');
  if (line === '') return [];
  const fields = splitCsvLine(line, delimiter, []);
  if (fields === null) throw openQuote({ file: name, name, start: 0, end: 0 }, 1);
  // Like DuckDB: unnamed columns get a name, repeated names a suffix.
  const seen = new Set<string>();
  return fields.map((f, i) => {
    let n = f === '' ? `column${i}` : f;
    for (let k = 1; seen.has(n); k++) n = `${f || `column${i}`}_${k}`;
    seen.add(n);
    return n;
  });
}

export function csvSettings(
  options: { header?: boolean; delimiter?: string; infer?: boolean } | undefined,
  tsv: boolean,
): Omit<CsvSettings, 'header'> & { hasHeader: boolean } {
  return { hasHeader: options?.header ?? true, delimiter: options?.delimiter ?? (tsv ? '\t' : ','), infer: options?.infer ?? true };
}
