// The NDJSON reader's columns (the source's fast.columns, fast path ndjsonColumns): a chunk whose
// lines are all compact flat objects of one shape is read straight from its bytes into dictionary-
// encoded columns of the fields the pipeline reads, with no string per line and no record object.
// The shape is guessed from the chunk's first line; the scan (steps/kit/wasm/ndjson.wat) then checks
// every line byte by byte against it, each value a JSON scalar as JSON.parse reads it. Any other
// chunk (another shape, blanks in a line, nesting, invalid JSON or UTF-8) is undefined and goes
// record by record, where it gives the same records or the same error.
import { isUtf8 } from 'node:buffer';
import type { Column, ColumnBatch } from '../../../engine/contract/step.js';
import { fastPathOn } from '../../../engine/contract/fast-paths.js';
import { ndjsonKernel, type NdjsonKernel } from '../../kit/wasm/ndjson.js';
import { byteBlocks, pieceEnd, type LineRange } from './byte-range.js';
import { parseExact } from './exact-json.js';
import { TokenDictionary } from './token-dictionary.js';

// FLOW_NO_NDJSON_COLUMNS, read once, when this module loads (worker threads inherit the variable).
const on = fastPathOn('ndjsonColumns');

const NL = 10;
/** The most bytes scanned at once (the tokens written out take about 2.7 times as many per column); tests shrink it. */
export const columnSizes = { piece: 1 << 20 };

/** A line's keys in order, as the bytes before each value (`{"k0":`, `,"k1":`, ..., then `}`). */
interface Shape {
  literals: Uint8Array;
  /** Literal k ends at ends[k]. */
  ends: Int32Array;
  /** Per key: its column (an index into `fields`), or -1 when no step reads it. */
  columns: Int32Array;
  /** The fields the shape has, in column order. */
  fields: string[];
}

/** A worker's reader of one field list, kept across chunks: its shape and buffers stay warm. */
class ColumnReader {
  shape: Shape | undefined;
  private dictionaries: TokenDictionary[] = [];

  constructor(
    readonly fields: readonly string[],
    private readonly kernel: NdjsonKernel,
  ) {}

  read(range: LineRange): ColumnBatch | undefined {
    let rows = 0;
    let shape = this.shape;
    for (const d of this.dictionaries) d.reset();
    for (const { buf, cut } of byteBlocks(range)) {
      for (let from = 0; from < cut;) {
        const to = pieceEnd(buf, from, cut, columnSizes.piece);
        const piece = buf.subarray(from, to);
        from = to + 1;
        let read = shape ? this.scan(shape, piece) : -1;
        if (read < 0 && rows === 0) {
          // The chunk's first lines may show another shape than the last chunk's.
          shape = this.learn(piece);
          if (!shape) return undefined;
          for (const d of this.dictionaries) d.reset();
          read = this.scan(shape, piece);
        }
        if (read < 0) return undefined;
        rows += read;
      }
    }
    const columns = new Map<string, Column>();
    if (rows > 0 && shape) {
      shape.fields.forEach((field, c) => {
        const d = this.dictionaries[c]!;
        columns.set(field, { dictionary: d.values, indices: d.indices.subarray(0, d.rows) });
      });
    }
    return { rows, columns };
  }

  /** The shape of the piece's first non-blank line, when it is a flat object of scalars. */
  private learn(piece: Buffer): Shape | undefined {
    let start = 0;
    while (start < piece.length && piece[start] !== 123) {
      const nl = piece.indexOf(NL, start);
      if (nl < 0) return undefined;
      start = nl + 1;
    }
    let end = piece.indexOf(NL, start);
    if (end < 0) end = piece.length;
    let value: unknown;
    try {
      value = parseExact(piece.toString('utf8', start, end));
    } catch {
      return undefined;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const keys = Object.keys(value);
    if (keys.some((k) => (value as Record<string, unknown>)[k] !== null && typeof (value as Record<string, unknown>)[k] === 'object')) return undefined;
    // A guess: JSON.parse puts integer-like keys first, and a key's escapes may be written otherwise;
    // a line that differs from it is not of the shape, and the scan says so.
    const text = keys.length === 0 ? ['{}'] : keys.map((k, i) => `${i === 0 ? '{' : ','}${JSON.stringify(k)}:`).concat('}');
    const parts = text.map((t) => Buffer.from(t, 'utf8'));
    const ends = new Int32Array(parts.length);
    parts.reduce((at, part, k) => (ends[k] = at + part.length), 0);
    const fields = keys.filter((k) => this.fields.includes(k));
    this.shape = {
      literals: Buffer.concat(parts),
      ends,
      columns: Int32Array.from(keys, (k) => fields.indexOf(k)),
      fields,
    };
    while (this.dictionaries.length < fields.length) this.dictionaries.push(new TokenDictionary());
    return this.shape;
  }

  /** The rows of a piece of whole lines into the dictionaries; -1 when a line is not of the shape. */
  private scan(shape: Shape, piece: Buffer): number {
    const kernel = this.kernel;
    const width = shape.fields.length;
    const n = piece.length;
    // A row of a wanted field takes at least 7 bytes (`{"":0}` and its '\n').
    const maxRows = width > 0 ? Math.floor((n + 1) / 6) + 1 : n + 1;
    const literalsAt = 0;
    const endsAt = align(shape.literals.length);
    const columnsAt = endsAt + align(4 * shape.ends.length);
    const inputAt = columnsAt + align(4 * shape.columns.length);
    const outAt = inputAt + align(n);
    const memory = kernel.reserve(outAt + 16 * maxRows * width);
    const bytes = new Uint8Array(memory);
    bytes.set(shape.literals, literalsAt);
    new Int32Array(memory, endsAt, shape.ends.length).set(shape.ends);
    new Int32Array(memory, columnsAt, shape.columns.length).set(shape.columns);
    bytes.set(piece, inputAt);
    const rows = kernel.scan(inputAt, n, literalsAt, endsAt, columnsAt, shape.columns.length, outAt, width, maxRows);
    if (rows < 0) return -1;
    // A byte past 0x7f in a string: the piece must be valid UTF-8, as the record path checks.
    if (kernel.high() && !isUtf8(piece)) return -1;
    const out = new Int32Array(memory, outAt, 4 * rows * width);
    for (let c = 0; c < width; c++) {
      const d = this.dictionaries[c]!;
      for (let o = 4 * c; o < out.length; o += 4 * width) {
        if (!d.add(bytes, inputAt + out[o]!, inputAt + out[o + 1]!, out[o + 2]!, out[o + 3]!)) return -1;
      }
    }
    return rows;
  }
}

const align = (n: number) => (n + 7) & ~7;

const readers = new Map<string, ColumnReader>();
/** Per file: the chunks in a row not read as columns. After a few, its chunks are not scanned before their records are read. */
const misses = new Map<string, number>();
const GIVE_UP = 4;

/** The chunk's rows as columns of `fields`, or undefined when it must be read record by record. */
export function ndjsonColumns(range: LineRange & { fields?: string[] }): ColumnBatch | undefined {
  if (!on || !range.fields) return undefined;
  const kernel = ndjsonKernel();
  if (!kernel) return undefined;
  const key = JSON.stringify(range.fields);
  let reader = readers.get(key);
  if (!reader) readers.set(key, (reader = new ColumnReader([...new Set(range.fields)], kernel)));
  if ((misses.get(range.file) ?? 0) >= GIVE_UP) return undefined;
  const batch = reader.read(range);
  misses.set(range.file, batch ? 0 : (misses.get(range.file) ?? 0) + 1);
  return batch;
}
