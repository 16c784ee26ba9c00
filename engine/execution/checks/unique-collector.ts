// A worker's half of `unique` (unique.ts has the main thread's): a chunk's keys, each a record's
// (or a row's, put together from its columns' dictionary entries), their hashes and places.
import path from 'node:path';
import type { Column, ColumnBatch } from '../../contract/step.js';
import { hashBytes, KeyWriter } from './key.js';
import { writeSpill } from './spill.js';

export interface UniqueBlock {
  chunk: number;
  hashes: Float64Array;
  /** How many keys. */
  count: number;
  /** The spill file workers write (spill.ts), or the keys in memory: their bytes, where each starts (and, at [i + 1], ends), and each one's record. */
  file?: string;
  keys?: { bytes: Uint8Array; offsets: Uint32Array; ats: Uint32Array };
}

/** A chunk's unique keys: their hashes, their bytes in one growing buffer, where each starts, and its record (no object per record). */
export class UniqueCollector {
  private hashes = new Float64Array(1024);
  private ats = new Uint32Array(1024);
  private offsets = new Uint32Array(1025);
  private n = 0;
  private readonly keys: KeyWriter;
  /** Where a batch's dictionary entries are written, one part each (addBatch). */
  private readonly scratch = new KeyWriter([]);

  constructor(private readonly fields: readonly string[]) {
    this.keys = new KeyWriter(fields);
  }

  reset(): void {
    this.n = 0;
    this.keys.length = 0;
  }

  get size(): number {
    return this.n;
  }

  add(record: unknown, at: number): void {
    const hash = this.keys.add(record);
    if (hash >= 0) this.push(hash, at);
  }

  /**
   * The keys of a batch read as columns, each put together from its fields' dictionary entries,
   * whose parts are written once per entry: the same bytes and hash as `add` of the row's record.
   * False (nothing added) when a field's column is not a dictionary: its rows go to `add`.
   */
  addBatch(batch: ColumnBatch): boolean {
    const columns = this.fields.map((field) => batch.columns.get(field));
    if (columns.some((column) => column !== undefined && !('indices' in column))) return false;
    // A field no row has: no row has a key.
    if (columns.some((column) => column === undefined)) return true;
    const parts = (columns as Array<Extract<Column, { indices: unknown }>>).map((column) => this.partsOf(column.dictionary));
    const indices = (columns as Array<Extract<Column, { indices: unknown }>>).map((column) => column.indices);
    const keys = this.keys;
    const k = parts.length;
    for (let row = 0; row < batch.rows; row++) {
      const start = keys.length;
      let whole = true;
      for (let c = 0; c < k; c++) {
        const { bytes, from, to } = parts[c]!;
        const entry = indices[c]![row]!;
        const at = from[entry]!;
        if (at < 0) {
          whole = false;
          break;
        }
        keys.append(bytes, at, to[entry]!);
      }
      if (whole) this.push(hashBytes(keys.bytes, start, keys.length), row);
      else keys.length = start;
    }
    return true;
  }

  /** Each entry's part bytes (from -1: null or missing, no key). */
  private partsOf(dictionary: ArrayLike<unknown>): { bytes: Uint8Array; from: Int32Array; to: Int32Array } {
    const writer = this.scratch;
    writer.length = 0;
    const from = new Int32Array(dictionary.length);
    const to = new Int32Array(dictionary.length);
    for (let e = 0; e < dictionary.length; e++) {
      const start = writer.length;
      from[e] = writer.part(dictionary[e]) ? start : -1;
      to[e] = writer.length;
    }
    // A copy: the next field's entries are written over these.
    return { bytes: writer.bytes.slice(0, writer.length), from, to };
  }

  private push(hash: number, at: number): void {
    if (this.n === this.ats.length) {
      this.hashes = grow(this.hashes, new Float64Array(this.n * 2));
      this.ats = grow(this.ats, new Uint32Array(this.n * 2));
      this.offsets = grow(this.offsets, new Uint32Array(this.n * 2 + 1));
    }
    this.hashes[this.n] = hash;
    this.ats[this.n++] = at;
    this.offsets[this.n] = this.keys.length;
  }

  /** Copies of the used part (a view would carry its whole buffer across the thread boundary); all but the hashes to `spill`'s file. */
  block(chunk: number, spill?: string, check = 0): UniqueBlock {
    const n = this.n;
    const bytes = this.keys.bytes.subarray(0, this.keys.length);
    const block = { chunk, hashes: this.hashes.slice(0, n), count: n };
    // No key, no file (a chunk of records with null keys, or none).
    if (spill === undefined || n === 0) return { ...block, keys: { bytes: bytes.slice(), offsets: this.offsets.slice(0, n + 1), ats: this.ats.slice(0, n) } };
    const file = path.join(spill, `${check}-${chunk}.keys`);
    writeSpill(file, this.offsets.subarray(0, n + 1), this.ats.subarray(0, n), bytes);
    return { ...block, file };
  }
}

function grow<T extends Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
