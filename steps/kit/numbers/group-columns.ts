// The `group` reducer's add over a source's columns (its `fast.columns`): what its compiled add
// (group-add.ts) does record by record, without the records. Each row is first given its key's
// cells (a dictionary-encoded key is looked up once per dictionary entry, in the order its rows
// come, so groups are made in the same order), then each aggregate runs down its own column.
import type { Column, ColumnBatch } from '../../../engine/contract/step.js';
import { addNumber, type ExactSum } from './exact-sum.js';
import { greatest, least, type Num } from './extremes.js';
import { COUNT, MAX, MEAN, MIN, SUM, keyOf, newCells, type Agg, type Cell, type GroupAcc, type Key, type Kind } from './group-add.js';
import { notANumber } from '../record.js';
import { batchLoops, type BatchLoops, type SumArrays } from './group-loops.js';

/** A worker's row-to-group array, reused chunk after chunk. */
export interface ColumnsScratch {
  slotOf: Int32Array;
}

interface Slots {
  /** Each group met in the batch: its cells, as in acc. */
  cells: Cell[][];
  /** Rows of each group. */
  rows: Float64Array;
}

export function addColumns(acc: GroupAcc, batch: ColumnBatch, by: string, aggs: readonly Agg[], scratch: ColumnsScratch): GroupAcc {
  const rows = batch.rows;
  const key = batch.columns.get(by);
  // A field no row has is skipped, as null and missing values are.
  const columns = aggs.map((agg) => (agg.kind === COUNT ? undefined : batch.columns.get(agg.field!)));
  let slots: Slots;
  let slotOf: Int32Array;
  let loops: BatchLoops | undefined;
  if (key !== undefined && 'indices' in key) {
    const indexed = (c: Column | undefined, a: number) =>
      c !== undefined && 'indices' in c && (aggs[a]!.kind === SUM || aggs[a]!.kind === MEAN) ? { indices: c.indices, entries: c.dictionary.length } : undefined;
    loops = batchLoops(rows, { indices: key.indices, entries: key.dictionary.length }, columns.map(indexed));
    slotOf = loops.slotOf;
    slots = entrySlots(acc, key, rows, by, aggs, loops);
  } else {
    if (scratch.slotOf.length < rows) scratch.slotOf = new Int32Array(rows);
    slotOf = scratch.slotOf;
    slots = valueSlots(acc, key, rows, by, aggs, slotOf);
  }
  for (let a = 0; a < aggs.length; a++) {
    const agg = aggs[a]!;
    if (agg.kind === COUNT) {
      for (let s = 0; s < slots.cells.length; s++) (slots.cells[s]![a] as number) += slots.rows[s]!;
      continue;
    }
    const column = columns[a];
    if (column === undefined) continue;
    const fail = (value: unknown) => notANumber(`group: aggregate "${agg.name}"`, agg.field, value);
    const sums = loops?.sums[a];
    if (sums && 'indices' in column) dictionarySums(column, rows, loops!, sums, slots, a, agg.kind, fail);
    else eachValue(column, rows, slotOf, slots, a, agg.kind, fail);
  }
  return acc;
}

/** Makes a batch's groups: each in acc the first time its key comes, and its place in the batch. */
function groupsOf(acc: GroupAcc, by: string, aggs: readonly Agg[]) {
  const cells: Cell[][] = [];
  const slotByKey = new Map<Key, number>();
  const slotFor = (value: unknown): number => {
    const k = keyOf(value, by);
    let s = slotByKey.get(k);
    if (s === undefined) {
      let found = acc.get(k);
      if (found === undefined) acc.set(k, (found = newCells(aggs)));
      s = cells.push(found) - 1;
      slotByKey.set(k, s);
    }
    return s;
  };
  return { cells, slotFor };
}

/** A dictionary-encoded key: each row's group by its entry, found once per entry in the order rows come. */
function entrySlots(acc: GroupAcc, key: Extract<Column, { indices: unknown }>, rows: number, by: string, aggs: readonly Agg[], loops: BatchLoops): Slots {
  const { cells, slotFor } = groupsOf(acc, by, aggs);
  const { dictionary, indices } = key;
  const { table, counts } = loops.key;
  const slotOf = loops.slotOf;
  let i = 0;
  while ((i = loops.entrySlots(i, rows)) < rows) {
    const d = indices[i]!;
    const s = slotFor(dictionary[d]);
    if (Number.isInteger(d) && d >= 0 && d < table.length) table[d] = s;
    else {
      // An index past the dictionary reads undefined, as the record would.
      slotOf[i] = s;
      counts[s]!++;
      i++;
    }
  }
  return { cells, rows: counts };
}

/** A key of plain values (or none: the null group), row by row. */
function valueSlots(acc: GroupAcc, column: Column | undefined, rows: number, by: string, aggs: readonly Agg[], slotOf: Int32Array): Slots {
  const { cells, slotFor } = groupsOf(acc, by, aggs);
  if (column === undefined) {
    if (rows > 0) slotOf.fill(slotFor(undefined), 0, rows);
    return { cells, rows: Float64Array.of(rows) };
  }
  const values = 'values' in column ? column.values : undefined;
  for (let i = 0; i < rows; i++) slotOf[i] = slotFor(values![i]);
  const counts = new Float64Array(cells.length);
  for (let i = 0; i < rows; i++) counts[slotOf[i]!]!++;
  return { cells, rows: counts };
}

type Fail = (value: unknown) => Error;

/** Row by row, each value as the record add takes it. */
function eachValue(column: Column, rows: number, slotOf: Int32Array, slots: Slots, a: number, kind: Kind, fail: Fail): void {
  const dictionary = 'indices' in column ? column.dictionary : undefined;
  const indices = 'indices' in column ? column.indices : undefined;
  const values = 'values' in column ? column.values : undefined;
  for (let i = 0; i < rows; i++) addValue(slots.cells[slotOf[i]!]!, a, kind, dictionary ? dictionary[indices![i]!] : values![i], fail);
}

/** group-add.ts's update of one cell: numbers, BigInts exact, null and missing skipped, anything else an error. */
function addValue(cells: Cell[], a: number, kind: Kind, v: unknown, fail: Fail): void {
  if (typeof v === 'number') {
    const c = cells[a]!;
    if (kind === SUM) addNumber(c as ExactSum, v);
    else if (kind === MEAN) {
      addNumber((c as { sum: ExactSum }).sum, v);
      (c as { count: number }).count++;
    } else cells[a] = c === null ? v : typeof c === 'number' ? (kind === MIN ? Math.min(c, v) : Math.max(c, v)) : extreme(kind, c as Num, v);
  } else if (typeof v === 'bigint') {
    const c = cells[a]!;
    if (kind === SUM) (c as ExactSum).big += v;
    else if (kind === MEAN) {
      (c as { sum: ExactSum }).sum.big += v;
      (c as { count: number }).count++;
    } else cells[a] = c === null ? v : extreme(kind, c as Num, v);
  } else if (v !== null && v !== undefined) throw fail(v);
}

const extreme = (kind: Kind, c: Num, v: Num): Num => (kind === MAX ? greatest(c, v) : least(c, v));

/**
 * A sum or mean over a dictionary-encoded column. Entries that are integers small enough that no
 * group's total of them in this batch can pass 2^53 are totalled per group in a double, exactly, and
 * the total goes into the group's exact sum once; any other entry is added row by row. The sum is
 * exact whatever the order of its additions (exact-sum.ts), so the result is the record add's.
 */
function dictionarySums(
  column: Extract<Column, { indices: unknown }>,
  rows: number,
  loops: BatchLoops,
  arrays: SumArrays,
  slots: Slots,
  a: number,
  kind: Kind,
  fail: Fail,
): void {
  const { dictionary, indices } = column;
  const { how, small, sums, counts } = arrays;
  const bound = Math.floor(Number.MAX_SAFE_INTEGER / Math.max(1, rows));
  // Per entry: 0 an integer totalled in a double, 1 null or missing (skipped), 2 added on its own.
  for (let e = 0; e < dictionary.length; e++) {
    const v = dictionary[e];
    if (typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) <= bound) small[e] = v;
    else how[e] = v === null || v === undefined ? 1 : 2;
  }
  for (let i = loops.smallSums(arrays, 0, rows); i < rows; i = loops.smallSums(arrays, i + 1, rows)) {
    addValue(slots.cells[loops.slotOf[i]!]!, a, kind, dictionary[indices[i]!], fail);
  }
  for (let s = 0; s < slots.cells.length; s++) {
    if (counts[s] === 0) continue;
    const c = slots.cells[s]![a]!;
    if (kind === SUM) addNumber(c as ExactSum, sums[s]!);
    else {
      addNumber((c as { sum: ExactSum }).sum, sums[s]!);
      (c as { count: number }).count += counts[s]!;
    }
  }
}
