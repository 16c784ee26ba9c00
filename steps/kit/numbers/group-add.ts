// The `group` reducer's add, compiled once per setup for its key and aggregates: every field is read
// by a named property load and every aggregate updated inline, with no closure per value. It does
// exactly what reading each field through numberReader and updating its cell would.
import { addNumber, exactSum, type ExactSum } from './exact-sum.js';
import { greatest, least } from './extremes.js';
import { badRecord, describeValue, notANumber } from '../record.js';

export const COUNT = 0,
  SUM = 1,
  MEAN = 2,
  MIN = 3,
  MAX = 4;
export type Kind = typeof COUNT | typeof SUM | typeof MEAN | typeof MIN | typeof MAX;

export interface Agg {
  name: string;
  kind: Kind;
  field?: string;
}

export type Key = number | bigint | string | boolean | null;
/** Per key, one cell per aggregate: a count, an ExactSum, {sum, count} for a mean, or min/max (null when none). */
export type Cell = number | bigint | ExactSum | { sum: ExactSum; count: number } | null;
export type GroupAcc = Map<Key, Cell[]>;

export function newCells(aggs: readonly Agg[]): Cell[] {
  return aggs.map((a) => (a.kind === COUNT ? 0 : a.kind === SUM ? exactSum() : a.kind === MEAN ? { sum: exactSum(), count: 0 } : null));
}

/** A Map key (Map itself makes -0 the 0 key); a missing key is the null group; other types cannot be keys. */
export function keyOf(value: unknown, by: string): Key {
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return value;
  if (value === null || value === undefined) return null;
  throw badRecord(`group: field "${by}" is ${describeValue(value)}; a group key must be a string, a number, a boolean or null`);
}

/** The field of the object `record`, own properties only (a missing "constructor" is missing). */
function read(name: string): string {
  const key = JSON.stringify(name);
  return name in Object.prototype ? `(Object.hasOwn(record, ${key}) ? record[${key}] : undefined)` : `record[${key}]`;
}

function update(agg: Agg, i: number): string {
  if (agg.kind === COUNT) return `cells[${i}]++;`;
  // null and a missing field are skipped, like SQL; anything else that is not a number is an error.
  // A BigInt (an integer past 2^53) takes the slower exact road, after the number test.
  const value = (big: string) =>
    `const v = ${read(agg.field!)}; if (typeof v !== 'number') { if (typeof v === 'bigint') { ${big} } else if (v !== null && v !== undefined) notANumber(${i}, v); }`;
  if (agg.kind === SUM) return `{ ${value(`cells[${i}].big += v;`)} else addNumber(cells[${i}], v); }`;
  if (agg.kind === MEAN)
    return `{ ${value(`cells[${i}].sum.big += v; cells[${i}].count++;`)} else { const m = cells[${i}]; addNumber(m.sum, v); m.count++; } }`;
  const [pick, exact] = agg.kind === MIN ? ['Math.min', 'least'] : ['Math.max', 'greatest'];
  return `{ ${value(`const c = cells[${i}]; cells[${i}] = c === null ? v : ${exact}(c, v);`)} else { const c = cells[${i}]; cells[${i}] = c === null ? v : typeof c === 'number' ? ${pick}(c, v) : ${exact}(c, v); } }`;
}

export function compileGroupAdd(by: string, aggs: readonly Agg[]): (acc: GroupAcc, record: unknown) => GroupAcc {
  const notAnObject = (record: unknown) => badRecord(`group: the record is ${describeValue(record)}, not an object with field "${by}"`);
  const notNumber = (i: number, value: unknown) => {
    throw notANumber(`group: aggregate "${aggs[i]!.name}"`, aggs[i]!.field, value);
  };
  const body = `"use strict";
return function add(acc, record) {
  if (record === null || typeof record !== 'object') throw notAnObject(record);
  const k = keyOf(${read(by)}, by);
  let cells = acc.get(k);
  if (cells === undefined) acc.set(k, (cells = newCells(aggs)));
  ${aggs.map(update).join('\n  ')}
  return acc;
};`;
  const factory = new Function('by', 'aggs', 'keyOf', 'newCells', 'addNumber', 'notAnObject', 'notANumber', 'least', 'greatest', body);
  return factory(by, aggs, keyOf, newCells, addNumber, notAnObject, notNumber, least, greatest) as (acc: GroupAcc, record: unknown) => GroupAcc;
}
