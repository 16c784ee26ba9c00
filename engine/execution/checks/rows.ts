// The record checks of a chunk read as columns (chunk-runner's columns form). A check that reads one
// field (values-in, a `where` on one field; not-null, field by field) is decided once per dictionary
// entry of that field's column, on a record holding that field alone, and each row takes its entry's
// verdict. Any other check (unique, a `where` on several fields) is handed each row as the record the
// record path gives: a plain object with the batch's fields (a field with no column absent), one
// object for every row, as the checks read a record's fields and keep nothing of it.
import type { Column, ColumnBatch } from '../../contract/step.js';
import { exprFields } from '../../../steps/kit/expr/index.js';
import type { CheckSpec } from '../../contract/plan.js';

/** Row r fails the check. */
export type RowVerdict = (row: number) => boolean;

/** The check's verdict per row from its field's dictionary, or undefined when it must see each row. */
export function entryVerdict(spec: CheckSpec, test: ((record: unknown) => boolean) | undefined, batch: ColumnBatch): RowVerdict | undefined {
  if (spec.kind === 'unique' || spec.kind === 'rows' || spec.kind === 'result' || !test) return undefined;
  if (spec.kind === 'not-null') {
    const parts = spec.fields.map((field) => fieldVerdict(field, (value) => value === null || value === undefined, batch));
    if (parts.some((p) => p === undefined)) return undefined;
    const verdicts = parts as RowVerdict[];
    return verdicts.length === 1 ? verdicts[0] : (row) => verdicts.some((fails) => fails(row));
  }
  const fields = spec.kind === 'values-in' ? [spec.field] : exprFields(spec.expr);
  if (fields?.length !== 1) return undefined;
  const field = fields[0]!;
  return fieldVerdict(field, (value) => !test(value === undefined ? {} : recordOf([field], [value])), batch);
}

/** Row r fails when `fails` holds for its value of `field` (undefined where no column has it); undefined for a column of plain values. */
function fieldVerdict(field: string, fails: (value: unknown) => boolean, batch: ColumnBatch): RowVerdict | undefined {
  const column = batch.columns.get(field);
  if (column === undefined) {
    const all = fails(undefined);
    return () => all;
  }
  if (!('indices' in column)) return undefined;
  const bad = Uint8Array.from(Array.from(column.dictionary, (value) => (fails(value) ? 1 : 0)));
  const indices = column.indices;
  return (row) => bad[indices[row]!] === 1;
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
