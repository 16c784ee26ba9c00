// Projection for CSV/TSV with a header: only the columns the pipeline reads are sliced and typed.
// Rows with a quote go through splitCsvLine like the full reader; the values and errors are those of
// readCsv followed by picking the fields (in the order of `fields`, as ndjson-fields.ts's pick does).
import { setField } from '../numeric/record.js';
import { textBlocks } from './byte-range.js';
import type { TextChunk } from './chunks.js';
import { fieldValue, openQuote, rowWidth, splitCsvLine } from './csv.js';
import { lineNumber } from './byte-range.js';

export function* readCsvFields(chunk: TextChunk, fields: readonly string[]): Generator<unknown> {
  const { header, delimiter, infer } = chunk.csv!;
  if (header === null) throw new Error('readCsvFields needs a header');
  const width = header.length;
  // Wanted columns in the order of `fields`; want[column] is its place among them, or -1.
  const names: string[] = [];
  const cols: number[] = [];
  const want = new Int32Array(width).fill(-1);
  for (const f of new Set(fields)) {
    const col = header.indexOf(f);
    if (col < 0) continue;
    want[col] = cols.length;
    names.push(f);
    cols.push(col);
  }
  const texts: string[] = new Array<string>(cols.length).fill('');
  const shape = width > 0 && delimiter.length === 1 ? rowShape(width, delimiter, cols, names, infer) : undefined;
  const quoted: boolean[] = [];
  const step = delimiter.length;
  let index = 0;
  for (const text of textBlocks(chunk)) {
    // The next quote and delimiter at or after the scan, found once for many lines: a search per
    // line could run to the end of the block when a line has none.
    let quote = -1;
    let delim = -1;
    const none = text.length + 1;
    for (let pos = 0; ; index++) {
      const nl = text.indexOf('\n', pos);
      const stop = nl < 0 ? text.length : nl;
      const end = stop > pos && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
      let m: RegExpExecArray | null = null;
      if (end > pos && shape) {
        shape.re.lastIndex = pos;
        m = shape.re.exec(text);
        if (m !== null && shape.re.lastIndex !== end) m = null;
      }
      if (m !== null) yield shape!.make(m);
      else if (end > pos) {
        if (quote < pos && quote !== none) quote = found(text.indexOf('"', pos), none);
        const row: Record<string, unknown> = {};
        if (quote < end) {
          const split = splitCsvLine(text.slice(pos, end), delimiter, quoted);
          if (split === null) throw openQuote(chunk, lineNumber(chunk, index));
          if (split.length !== width) throw rowWidth(chunk, index, split.length);
          for (let w = 0; w < cols.length; w++) setField(row, names[w]!, fieldValue(split[cols[w]!]!, quoted[cols[w]!] === true, infer));
        } else {
          let count = 0;
          for (let from = pos; ; count++) {
            if (delim < from && delim !== none) delim = found(text.indexOf(delimiter, from), none);
            const w = count < width ? want[count]! : -1;
            if (w >= 0) texts[w] = text.slice(from, delim < end ? delim : end);
            if (delim >= end) break;
            from = delim + step;
          }
          if (++count !== width) throw rowWidth(chunk, index, count);
          for (let w = 0; w < cols.length; w++) setField(row, names[w]!, fieldValue(texts[w]!, false, infer));
        }
        yield row;
      }
      if (nl < 0) break;
      pos = nl + 1;
    }
  }
}

interface RowShape {
  /** Sticky: a row of `width` fields without quotes (nor '\r'), the wanted ones captured. */
  re: RegExp;
  make: (m: RegExpExecArray) => Record<string, unknown>;
}

// Most rows have no quote: one RegExp (native code in V8) checks the width and captures the wanted
// fields, and one object literal builds the record. Other rows take the scan below it.
function rowShape(width: number, delimiter: string, cols: number[], names: string[], infer: boolean): RowShape {
  const d = `\\u${delimiter.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const field = `[^"\\r\\n${d}]*`;
  const parts = Array.from({ length: width }, (_, col) => (cols.includes(col) ? `(${field})` : field));
  const group = (w: number) => 1 + cols.filter((c) => c < cols[w]!).length;
  const members = names.map((name, w) => `${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: value(m[${group(w)}], false, ${infer})`);
  const make = new Function('value', `"use strict"; return function (m) { return { ${members.join(', ')} }; };`)(fieldValue) as RowShape['make'];
  return { re: new RegExp(parts.join(d), 'y'), make };
}

function found(at: number, none: number): number {
  return at < 0 ? none : at;
}
