// Projection for CSV/TSV with a header: only the columns the pipeline reads are sliced and typed.
// Rows with a quote go through splitCsvLine like the full reader; the values and errors are those of
// readCsv followed by picking the fields (in the order of `fields`, as ndjson-fields.ts's pick does),
// but for a number beyond a double in a field it does not read: the full read types every field and
// fails there, this one never looks (a check of every field costs about 6% on the flights group-by).
import { setField } from '../../kit/record.js';
import { sizes } from './byte-range.js';
import { textBlocks } from './text-blocks.js';
import type { TextChunk } from './chunks.js';
import { fieldValue, openQuote, OVERFLOW, overflowField, rowWidth, splitCsvLine } from './csv.js';
import { TextCache, valueAt } from './csv-values.js';
import { rejecter } from './reject.js';
import { BadLines, utf8LineError } from './utf8.js';

type Emit = (record: unknown) => void;

/** The projected records of a chunk, handed to `emit` in order: no iterator between reader and steps. */
export function eachCsvFields(chunk: TextChunk, fields: readonly string[], emit: Emit): void {
  const bad = new BadLines();
  const scan = projector(chunk, fields, bad);
  // Pieces of about 64 KiB: young-space strings, no fresh pages per block.
  for (const text of textBlocks(chunk, sizes.piece, bad)) scan(text, 0, Infinity, emit);
}

/** The same records as eachCsvFields, as an iterator; a bad row throws after the rows before it. */
export function readCsvFields(chunk: TextChunk, fields: readonly string[]): IterableIterator<unknown> {
  const bad = new BadLines();
  return new Batches(textBlocks(chunk, sizes.piece, bad), projector(chunk, fields, bad));
}

type Scan = (text: string, pos: number, lines: number, emit: Emit) => number;

/**
 * A hand-written iterator over batches of a few lines: a generator's resumption per record costs
 * more than the scan of the record.
 */
class Batches implements IterableIterator<unknown> {
  private readonly out: unknown[] = [];
  private i = 0;
  private text: string | undefined;
  private pos = -1;
  private error: { thrown: unknown } | undefined;
  private finished = false;
  private readonly push: Emit = (record) => void this.out.push(record);

  constructor(
    private readonly blocks: Iterator<string>,
    private readonly scan: Scan,
  ) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<unknown> {
    if (this.i < this.out.length) return { done: false, value: this.out[this.i++] };
    return this.refill();
  }

  private refill(): IteratorResult<unknown> {
    this.out.length = 0;
    this.i = 0;
    while (this.out.length === 0) {
      if (this.finished) return { done: true, value: undefined };
      if (this.error) {
        const { thrown } = this.error;
        this.end();
        throw thrown;
      }
      if (this.pos < 0) {
        const block = this.blocks.next();
        if (block.done) return this.end();
        [this.text, this.pos] = [block.value, 0];
      }
      try {
        this.pos = this.scan(this.text!, this.pos, BATCH, this.push);
      } catch (thrown) {
        this.error = { thrown }; // after the records before it
      }
    }
    return this.next();
  }

  /** Stops early (a consumer's break) or at the end: the blocks' file is closed, no more records. */
  return(): IteratorResult<unknown> {
    return this.end();
  }

  private end(): IteratorResult<unknown> {
    this.blocks.return?.(undefined);
    [this.error, this.finished, this.out.length, this.i] = [undefined, true, 0, 0];
    return { done: true, value: undefined };
  }
}

const BATCH = 64;

/**
 * A scanner of a chunk's blocks in order (it counts their lines, for error locations): up to `lines`
 * lines of `text` from `pos`, then the position of the next line, or -1 at the end of the block.
 * `bad`: the lines of invalid UTF-8 in the text, rejected (or thrown) each alone.
 */
function projector(chunk: TextChunk, fields: readonly string[], bad: BadLines): (text: string, pos: number, lines: number, emit: Emit) => number {
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
  const values: unknown[] = new Array<unknown>(cols.length).fill(null);
  const make = recordMaker(names);
  const quoted: boolean[] = [];
  const reject = rejecter(chunk);
  const step = delimiter.length;
  let index = 0;
  // The next quote and delimiter at or after the scan, found once for many lines: a search per
  // line could run to the end of the block when a line has none.
  let quote = -1;
  let delim = -1;
  return (text, pos, lines, emit) => {
    // Locals for the hot loop (a closure's variables are loads and stores); saved on return.
    let [q, d, i] = pos === 0 ? [-1, -1, index] : [quote, delim, index];
    const none = text.length + 1;
    // The next line of invalid UTF-8 at or after pos, if the text has any.
    let u = bad.starts.length > 0 ? bad.starts.findIndex((start) => start >= pos) : -1;
    for (let line = 0; line < lines; line++, i++) {
      const nl = text.indexOf('\n', pos);
      const stop = nl < 0 ? text.length : nl;
      const end = stop > pos && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
      if (u >= 0 && bad.starts[u] === pos) {
        emit(reject(i, text.slice(pos, end), utf8LineError, chunk.name, bad.columns[u]!, bad.bytes[u]!));
        if (++u === bad.starts.length) u = -1;
      } else if (end > pos) {
        if (q < pos && q !== none) q = found(text.indexOf('"', pos), none);
        if (q < end) {
          const split = splitCsvLine(text.slice(pos, end), delimiter, quoted);
          if (split === null) emit(reject(i, text.slice(pos, end), openQuote, chunk));
          else if (split.length !== width) emit(reject(i, text.slice(pos, end), rowWidth, chunk, i, split.length));
          else {
            let over = -1; // the first wanted field beyond a double, in the row's order
            for (let w = 0; w < cols.length; w++) {
              values[w] = fieldValue(split[cols[w]!]!, quoted[cols[w]!] === true, infer);
              if (values[w] === OVERFLOW && (over < 0 || cols[w]! < over)) over = cols[w]!;
            }
            if (over >= 0) emit(reject(i, text.slice(pos, end), overflowField, chunk, `the field ${JSON.stringify(header[over])}`, split[over]!));
            else emit(make(values));
          }
        } else {
          let count = 0;
          let over = -1; // the first wanted field beyond a double
          for (let from = pos; ; count++) {
            if (d < from && d !== none) d = found(text.indexOf(delimiter, from), none);
            const to = d < end ? d : end;
            const w = count < width ? want[count]! : -1;
            if (w >= 0 && (values[w] = valueAt(text, from, to, infer, strings)) === OVERFLOW && over < 0) over = count;
            if (to === end) break;
            from = to + step;
          }
          if (++count !== width) emit(reject(i, text.slice(pos, end), rowWidth, chunk, i, count));
          else if (over >= 0)
            emit(
              reject(i, text.slice(pos, end), overflowField, chunk, `the field ${JSON.stringify(header[over])}`, text.slice(pos, end).split(delimiter)[over]!),
            );
          else emit(make(values));
        }
      }
      if (nl < 0) {
        index = i + 1; // the block's last line; the next block starts a new one
        return -1;
      }
      pos = nl + 1;
    }
    [quote, delim, index] = [q, d, i];
    return pos;
  };
}

// One per worker: the chunks of a run then hand the group step the very same key strings.
const strings = new TextCache();

type Maker = (values: unknown[]) => Record<string, unknown>;
const makers = new Map<string, Maker>();

/**
 * A function that builds one record from the values in `fields` order: one object literal, one shape.
 * Kept per list of names, so that every chunk of a run calls the same function (warm, and inlined).
 */
function recordMaker(names: string[]): Maker {
  const key = JSON.stringify(names);
  let make = makers.get(key);
  if (make === undefined) makers.set(key, (make = newMaker(names)));
  return make;
}

function newMaker(names: string[]): Maker {
  if (names.includes('__proto__') || names.length > 64) {
    return (values) => {
      const row: Record<string, unknown> = {};
      // setField: a column named __proto__ is an own field, not the row's prototype.
      for (let w = 0; w < names.length; w++) setField(row, names[w]!, values[w]);
      return row;
    };
  }
  const members = names.map((name, w) => `${JSON.stringify(name)}: v[${w}]`);
  return new Function(`"use strict"; return function (v) { return { ${members.join(', ')} }; };`)() as Maker;
}

function found(at: number, none: number): number {
  return at < 0 ? none : at;
}
