// The row loops of group's add over columns (group-columns.ts) where a column is dictionary-encoded:
// in WebAssembly (kit/wasm/columns.wat) when the kernels are there, on arrays carved from their
// memory, else the same loops in JS on plain arrays. Each loop stops at a row it cannot take and is
// called again past it (JS functions so small are optimized whole, not entered by OSR chunk after chunk).
import { carveBytes, columnKernels, type ColumnKernels } from '../wasm/columns.js';

/** A dictionary-encoded column: its row indices and how many entries it has. */
export interface Indexed {
  indices: ArrayLike<number>;
  entries: number;
}

/** The key's loop: each row's group (slotOf) by its entry's group (table, -1 while none), counted per group. */
export interface KeyArrays {
  keys: ArrayLike<number>;
  table: Int32Array;
  counts: Float64Array;
}

/** A sum's loop: per entry its kind (how: 0 a small integer in `small`, 1 skipped, 2 on its own), totals and counts per group. */
export interface SumArrays {
  vals: ArrayLike<number>;
  entries: number;
  how: Uint8Array;
  small: Float64Array;
  sums: Float64Array;
  counts: Float64Array;
}

export interface BatchLoops {
  slotOf: Int32Array;
  key: KeyArrays;
  /** Per aggregate: its arrays when it sums a dictionary-encoded column. */
  sums: (SumArrays | undefined)[];
  /** From row i; returns the first row whose entry has no group yet, or is past the table (rows: none). */
  entrySlots(i: number, rows: number): number;
  /** From row i; returns the first row to add on its own (rows: none). */
  smallSums(s: SumArrays, i: number, rows: number): number;
}

/** The arrays and loops of a batch of `rows` rows whose key is dictionary-encoded; groups are at most key.entries + 1. */
export function batchLoops(rows: number, key: Indexed, sums: (Indexed | undefined)[]): BatchLoops {
  // Indices copied into the kernels' memory must be what they were: 32-bit unsigned integers.
  const k = [key, ...sums].every((c) => c === undefined || c.indices instanceof Uint32Array) ? columnKernels() : null;
  const groups = key.entries + 1;
  const sumBytes = (s: Indexed) => carveBytes(rows * 4, s.entries, s.entries * 8, groups * 8, groups * 8);
  const bytes = carveBytes(rows * 4, rows * 4, key.entries * 4, groups * 8) + sums.reduce((n, s) => n + (s ? sumBytes(s) : 0), 0);
  // Carved from the kernels' memory (indices copied there), or plain arrays read in place.
  const carve = k?.carve(bytes);
  const int32 = (n: number) => carve?.int32(n) ?? new Int32Array(n);
  const float64 = (n: number) => carve?.float64(n) ?? new Float64Array(n);
  const copied = (indices: ArrayLike<number>) => {
    if (!carve) return indices;
    const into = carve.uint32(rows, false);
    into.set(indices);
    return into;
  };
  // Every row's group is written (entrySlots, or the row on its own) before any is read.
  const slotOf = carve?.int32(rows, false) ?? new Int32Array(rows);
  const keyArrays: KeyArrays = { keys: copied(key.indices), table: int32(key.entries).fill(-1), counts: float64(groups) };
  const sumArrays = sums.map((s): SumArrays | undefined =>
    s
      ? {
          vals: copied(s.indices),
          entries: s.entries,
          how: carve?.uint8(s.entries) ?? new Uint8Array(s.entries),
          small: float64(s.entries),
          sums: float64(groups),
          counts: float64(groups),
        }
      : undefined,
  );
  return { slotOf, key: keyArrays, sums: sumArrays, ...(k ? wasmLoops(k, slotOf, keyArrays) : jsLoops(slotOf, keyArrays)) };
}

function wasmLoops(k: ColumnKernels, slotOf: Int32Array, key: KeyArrays): Pick<BatchLoops, 'entrySlots' | 'smallSums'> {
  const at = (a: ArrayLike<number>) => (a as Uint32Array).byteOffset;
  return {
    entrySlots: (i, rows) => k.entrySlots(at(key.keys), key.table.length, key.table.byteOffset, slotOf.byteOffset, key.counts.byteOffset, i, rows),
    smallSums: (s, i, rows) =>
      k.smallSums(at(s.vals), s.entries, s.how.byteOffset, s.small.byteOffset, slotOf.byteOffset, s.sums.byteOffset, s.counts.byteOffset, i, rows),
  };
}

function jsLoops(slotOf: Int32Array, key: KeyArrays): Pick<BatchLoops, 'entrySlots' | 'smallSums'> {
  return {
    entrySlots: (i, rows) => entrySlots(key.keys, key.table, slotOf, key.counts, i, rows),
    smallSums: (s, i, rows) => smallSums(s.vals, s.how, s.small, slotOf, s.sums, s.counts, i, rows),
  };
}

function entrySlots(keys: ArrayLike<number>, table: Int32Array, slotOf: Int32Array, counts: Float64Array, i: number, rows: number): number {
  for (; i < rows; i++) {
    const s = table[keys[i]!]!;
    if (!(s >= 0)) return i;
    slotOf[i] = s;
    counts[s]!++;
  }
  return rows;
}

function smallSums(
  vals: ArrayLike<number>,
  how: Uint8Array,
  small: Float64Array,
  slotOf: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
  i: number,
  rows: number,
): number {
  for (; i < rows; i++) {
    const e = vals[i]!;
    const h = how[e];
    if (h === 0) {
      const s = slotOf[i]!;
      sums[s]! += small[e]!;
      counts[s]!++;
    } else if (h === 2) return i;
  }
  return rows;
}
