// A worker's half of `unique` (unique.ts has the main thread's): a chunk's keys, each a record's
// (or a row's, put together from its columns' dictionary entries), their hashes and places.
import path from 'node:path';
import type { Column, ColumnBatch } from '../../contract/step.js';
import { foldA, foldB, KEY_A, KEY_B, keyHash, KeyWriter } from './key.js';
import { sortHashes, type SortedHashes } from './repeats.js';
import { writeEntrySpill, writeSpill, type EntryField } from './spill.js';

export interface UniqueBlock {
  chunk: number;
  /** The keys' hashes: sorted by the worker (repeats.ts), or plain (key i's at i). */
  hashes: SortedHashes | Float64Array;
  /** How many keys. */
  count: number;
  /** The spill file workers write (spill.ts), or the keys in memory: their bytes, where each starts (and, at [i + 1], ends), and each one's record. */
  file?: string;
  /** The file holds each key's dictionary entries and each entry's part once (spill.ts, writeEntrySpill), not the key's bytes. */
  entries?: true;
  keys?: { bytes: Uint8Array; offsets: Uint32Array; ats: Uint32Array };
}

/** A batch's keys kept as their rows' dictionary entries: a key's bytes are its entries' parts, in field order. */
interface EntryKeys {
  rows: number;
  fields: EntryField[];
}

/**
 * A chunk's unique keys: their hashes, each one's record, and their bytes, either written out one
 * after another in one growing buffer (records) or, for a chunk read as columns, as each row's
 * dictionary entries and each entry's part written once (no bytes per row: a batch's keys cost
 * their hashes only). No object per record.
 */
export class UniqueCollector {
  private hashes = new Float64Array(1024);
  private ats = new Uint32Array(1024);
  private offsets = new Uint32Array(1025);
  private n = 0;
  private readonly keys: KeyWriter;
  private entries: EntryKeys | undefined;
  /** Where a batch's dictionary entries are written, one part each (addBatch). */
  private readonly scratch = new KeyWriter([]);

  constructor(private readonly fields: readonly string[]) {
    this.keys = new KeyWriter(fields);
  }

  reset(): void {
    this.n = 0;
    this.keys.length = 0;
    this.entries = undefined;
  }

  get size(): number {
    return this.n;
  }

  add(record: unknown, at: number): void {
    if (this.entries) this.writeEntries();
    const hash = this.keys.add(record);
    if (hash >= 0) this.push(hash, at);
  }

  /**
   * The keys of a batch read as columns, each hashed from its fields' dictionary entries' part
   * hashes, taken once per entry: the same hash as `add` of the row's record, and the same bytes
   * when written out. False (nothing added) when a field's column is not a dictionary: its rows go to `add`.
   */
  addBatch(batch: ColumnBatch): boolean {
    const columns = this.fields.map((field) => batch.columns.get(field));
    if (columns.some((column) => column !== undefined && !('indices' in column))) return false;
    // A field no row has: no row has a key.
    if (columns.some((column) => column === undefined)) return true;
    if (this.entries) this.writeEntries();
    const dictionaries = columns as Array<Extract<Column, { indices: unknown }>>;
    const fields = dictionaries.map((column) => this.partsOf(column));
    const first = this.n;
    // Field by field over every row (tight loops, one array each), then one key per whole row.
    const rows = batch.rows;
    const { a, b, dead } = this.scratchRows(rows);
    a.fill(KEY_A, 0, rows);
    b.fill(KEY_B, 0, rows);
    dead.fill(0, 0, rows);
    for (const { indices, partA, partB, offsets } of fields) {
      const none = new Uint8Array(partA.length);
      for (let e = 0; e < none.length; e++) none[e] = offsets[e] === offsets[e + 1] ? 1 : 0;
      for (let row = 0; row < rows; row++) {
        const entry = indices[row]!;
        a[row] = foldA(a[row]!, partA[entry]!);
        b[row] = foldB(b[row]!, partB[entry]!);
        dead[row]! |= none[entry]!;
      }
    }
    this.room(rows);
    for (let row = 0; row < rows; row++) if (dead[row] === 0) this.push(keyHash(a[row]!, b[row]!), row);
    // Later keys of this chunk (rare: a chunk is one batch or records) write these out first.
    if (first === 0) this.entries = { rows, fields };
    else this.writeEntries(first, { rows, fields });
    return true;
  }

  /** Each entry's part bytes and hash; an entry without a part (null or missing) has none: offsets[e] === offsets[e + 1]. */
  private partsOf(column: Extract<Column, { indices: unknown }>): EntryField {
    const { dictionary } = column;
    const writer = this.scratch;
    writer.length = 0;
    const offsets = new Uint32Array(dictionary.length + 1);
    const partA = new Int32Array(dictionary.length);
    const partB = new Int32Array(dictionary.length);
    for (let e = 0; e < dictionary.length; e++) {
      if (writer.part(dictionary[e])) {
        partA[e] = writer.partA;
        partB[e] = writer.partB;
      }
      offsets[e + 1] = writer.length;
    }
    const indices = column.indices instanceof Int32Array || column.indices instanceof Uint32Array ? column.indices : Int32Array.from(column.indices);
    // A copy: the next field's entries are written over these.
    return { indices, offsets, bytes: writer.bytes.slice(0, writer.length), partA, partB };
  }

  /** The keys from `first` on, kept as entries, written out as bytes (offsets are set for every key before `first`). */
  private writeEntries(first = 0, entries = this.entries!): void {
    this.entries = undefined;
    const keys = this.keys;
    for (let i = first; i < this.n; i++) {
      const row = this.ats[i]!;
      for (const field of entries.fields) {
        const entry = field.indices[row]!;
        keys.append(field.bytes, field.offsets[entry]!, field.offsets[entry + 1]!);
      }
      this.offsets[i + 1] = keys.length;
    }
  }

  /** Per-row scratch of addBatch, kept across chunks. */
  private rowsScratch = { a: new Int32Array(0), b: new Int32Array(0), dead: new Uint8Array(0) };

  private scratchRows(rows: number): { a: Int32Array; b: Int32Array; dead: Uint8Array } {
    if (this.rowsScratch.a.length < rows) this.rowsScratch = { a: new Int32Array(rows), b: new Int32Array(rows), dead: new Uint8Array(rows) };
    return this.rowsScratch;
  }

  /** Room for `more` keys. */
  private room(more: number): void {
    if (this.n + more <= this.ats.length) return;
    const size = Math.max(this.n * 2, this.n + more);
    this.hashes = grow(this.hashes, new Float64Array(size));
    this.ats = grow(this.ats, new Uint32Array(size));
    this.offsets = grow(this.offsets, new Uint32Array(size + 1));
  }

  private push(hash: number, at: number): void {
    if (this.n === this.ats.length) this.room(1);
    this.hashes[this.n] = hash;
    this.ats[this.n++] = at;
    this.offsets[this.n] = this.keys.length;
  }

  /** Copies of the used part (a view would carry its whole buffer across the thread boundary); all but the hashes to `spill`'s file. */
  block(chunk: number, spill?: string, check = 0): UniqueBlock {
    const n = this.n;
    const block = { chunk, hashes: sortHashes(this.hashes, n), count: n };
    const file = spill === undefined || n === 0 ? undefined : path.join(spill, `${check}-${chunk}.keys`);
    if (this.entries && file) {
      writeEntrySpill(file, this.ats.subarray(0, n), this.entries.rows, this.entries.fields);
      return { ...block, file, entries: true };
    }
    if (this.entries) this.writeEntries();
    const bytes = this.keys.bytes.subarray(0, this.keys.length);
    // No key, no file (a chunk of records with null keys, or none).
    if (!file) return { ...block, keys: { bytes: bytes.slice(), offsets: this.offsets.slice(0, n + 1), ats: this.ats.slice(0, n) } };
    writeSpill(file, this.offsets.subarray(0, n + 1), this.ats.subarray(0, n), bytes);
    return { ...block, file };
  }
}

function grow<T extends Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
