// The record checks of a chunk read as columns (chunk-runner's columns form). A check that reads one
// field (values-in, a `where` on one field; not-null, field by field) is decided once per dictionary
// entry of that field's column, on a record holding that field alone, and each row takes its entry's
// verdict. Any other check (unique, a `where` on several fields) is handed each row as the record the
// record path gives: a plain object with the batch's fields (a field with no column absent), one
// object for every row, as the checks read a record's fields and keep nothing of it.
import type { Column, ColumnBatch } from '../../contract/step.js';
import { exprFields } from '../../../steps/kit/expr/index.js';
import type { CheckSpec } from '../../contract/plan.js';

/**
 * A field's verdict on the rows: each fails (true) or none does (false), or row r fails when
 * bad[indices[r]] is 1 (its dictionary entry fails).
 */
export type FieldVerdict = boolean | { bad: Uint8Array; indices: ArrayLike<number> };

/**
 * The check's verdict on a batch, field by field (a row fails when one field says so), made once per
 * check: undefined for a check that must see each row (unique, a `where` on several fields), and a
 * batch's answer undefined when a field's column holds plain values.
 */
export function entryVerdict(
  spec: CheckSpec,
  test: ((record: unknown) => boolean) | undefined,
): ((batch: ColumnBatch) => FieldVerdict[] | undefined) | undefined {
  if (spec.kind === 'unique' || spec.kind === 'rows' || spec.kind === 'result' || !test) return undefined;
  if (spec.kind === 'not-null') {
    const isNull = (value: unknown) => value === null || value === undefined;
    return (batch) => {
      const parts = spec.fields.map((field) => fieldVerdict(field, isNull, batch));
      return parts.some((p) => p === undefined) ? undefined : (parts as FieldVerdict[]);
    };
  }
  const fields = spec.kind === 'values-in' ? [spec.field] : exprFields(spec.expr);
  if (fields?.length !== 1) return undefined;
  const field = fields[0]!;
  const fails = (value: unknown) => !test(value === undefined ? {} : recordOf([field], [value]));
  return (batch) => {
    const verdict = fieldVerdict(field, fails, batch);
    return verdict === undefined ? undefined : [verdict];
  };
}

/** Where `fails` holds for a row's value of `field` (undefined where no column has it); undefined for a column of plain values. */
function fieldVerdict(field: string, fails: (value: unknown) => boolean, batch: ColumnBatch): FieldVerdict | undefined {
  const column = batch.columns.get(field);
  if (column === undefined) return fails(undefined);
  if (!('indices' in column)) return undefined;
  const { dictionary, indices } = column;
  const bad = new Uint8Array(dictionary.length);
  for (let e = 0; e < dictionary.length; e++) if (fails(dictionary[e])) bad[e] = 1;
  return { bad, indices };
}

/** Calls `fail(row)` for each of `rows` rows that one of the fields' verdicts fails, in row order. */
export function failingRows(verdicts: readonly FieldVerdict[], rows: number, fail: (row: number) => void): void {
  if (verdicts.includes(true)) {
    for (let row = 0; row < rows; row++) fail(row);
    return;
  }
  // A field none of whose entries fails marks no row: its pass over the rows is skipped.
  const parts = verdicts.filter((v): v is Exclude<FieldVerdict, boolean> => typeof v === 'object' && v.bad.includes(1));
  if (parts.length === 0) return;
  // One field's table per pass, row marks combined in a byte per row: no call per row and field.
  const marks = new Uint8Array(rows);
  for (const { bad, indices } of parts) for (let row = 0; row < rows; row++) marks[row]! |= bad[indices[row]!]!;
  for (let row = marks.indexOf(1); row >= 0; row = marks.indexOf(1, row + 1)) fail(row);
}

/** Hands each row to `add` as its record (one object, refilled row after row). */
export function eachRow(batch: ColumnBatch, add: (record: unknown, row: number) => void): void {
  const names = [...batch.columns.keys()];
  const columns = [...batch.columns.values()];
  const row = recordOf(
    names,
    names.map(() => undefined),
  );
  fillerFor(
    names,
    columns.map((c) => 'indices' in c),
  )(row, columns, batch.rows, add);
}

type Filler = (row: Record<string, unknown>, columns: Column[], rows: number, add: (record: unknown, row: number) => void) => void;
const fillers = new Map<string, Filler>();

/** The row loop for these fields, generated once: a store per field with its name written out is a plain property store, where one through a variable name is a keyed lookup every time. */
function fillerFor(names: readonly string[], indexed: readonly boolean[]): Filler {
  const key = JSON.stringify([names, indexed]);
  let filler = fillers.get(key);
  if (filler) return filler;
  const setup = names.map((_, c) =>
    indexed[c] ? `const d${c} = columns[${c}].dictionary, i${c} = columns[${c}].indices;` : `const v${c} = columns[${c}].values;`,
  );
  const stores = names.map((name, c) => `row[${JSON.stringify(name)}] = ${indexed[c] ? `d${c}[i${c}[i]]` : `v${c}[i]`};`);
  const body = `"use strict"; return function fill(row, columns, rows, add) { ${setup.join(' ')} for (let i = 0; i < rows; i++) { ${stores.join(' ')} add(row, i); } };`;
  filler = new Function(body)() as Filler;
  fillers.set(key, filler);
  return filler;
}

/** A plain object with these own fields (defined, so that "__proto__" is a field as JSON.parse makes it). */
function recordOf(names: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  names.forEach((name, i) => Object.defineProperty(record, name, { value: values[i], enumerable: true, writable: true, configurable: true }));
  return record;
}
