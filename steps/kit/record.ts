// Reading and describing record values for the built-in steps: own fields only (a missing
// "constructor" or "__proto__" field is missing, not Object.prototype's), and errors that name the value.
import { FlowError } from '../../engine/contract/errors.js';

export type FieldReader = (record: any) => unknown;

/** A reader of one top-level field; a missing field (or a record that is not an object) reads as undefined. */
export function fieldReader(name: string): FieldReader {
  // Plain property access is fastest; names Object.prototype also has need an own-property check.
  if (name in Object.prototype) {
    return (r) => (r !== null && typeof r === 'object' && Object.hasOwn(r, name) ? r[name] : undefined);
  }
  return (r) => (r !== null && typeof r === 'object' ? r[name] : undefined);
}

/** Sets an own data property, even one named "__proto__". */
export function setField(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') {
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  } else target[name] = value;
}

/** A short, readable rendering of a value for error messages: `"abc" (a string)`, `[1,2] (an array)`. */
export function describeValue(value: unknown): string {
  const kind = typeName(value);
  let text: string;
  if (typeof value === 'bigint') text = `${value}`;
  else if (typeof value === 'function' || typeof value === 'symbol' || value === undefined) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  if (text.length > 60) text = `${text.slice(0, 57)}...`;
  return value === null || value === undefined ? text : `${text} (${kind})`;
}

/** The type of a value as a user would say it: "a string", "an array", "null". */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  if (t === 'undefined') return 'undefined';
  if (t === 'object') return 'an object';
  return `a ${t}`;
}

/** Where a value came from, for messages: `field "delay"` or `the record`. */
export function fieldLabel(field: string | undefined): string {
  return field === undefined ? 'the record' : `field "${field}"`;
}

export function badRecord(message: string, hint?: string): FlowError {
  return new FlowError({ code: 'BAD_RECORD', message, ...(hint ? { hint } : {}) });
}

/** Reads a step's number from a record; `wholeRecord` when the records themselves are the numbers. */
export interface NumberReader {
  (record: any): number | undefined;
  wholeRecord?: boolean;
}

/** A NumberReader that keeps an integer past 2^53 (a BigInt, as the readers give it) exact. */
export interface ExactReader {
  (record: any): number | bigint | undefined;
  wholeRecord?: boolean;
}

/**
 * A reader of the number a numeric step works on: the field, or the record itself when no field is
 * given. null and a missing field read as undefined (skipped, like SQL); anything else is an error.
 * A BigInt reads as the nearest double: for steps that only compare (top); sums use exactReader.
 */
export function numberReader(step: string, field: string | undefined): NumberReader {
  const read = exactReader(step, field);
  const reader: NumberReader = (r) => {
    const v = read(r);
    return typeof v === 'bigint' ? Number(v) : v;
  };
  if (read.wholeRecord) reader.wholeRecord = true;
  return reader;
}

/** numberReader, with BigInts as they are: sum, mean, min and max keep them exact. */
export function exactReader(step: string, field: string | undefined): ExactReader {
  if (field === undefined) {
    const whole: ExactReader = (r) => (typeof r === 'number' || typeof r === 'bigint' ? r : r === null || r === undefined ? undefined : fail(step, field, r));
    whole.wholeRecord = true;
    return whole;
  }
  const read = fieldReader(field);
  return (r) => {
    const v = read(r);
    if (typeof v === 'number') return v;
    if (v === null) return undefined;
    if (typeof v === 'bigint') return v;
    if (v !== undefined) return fail(step, field, v);
    if (r !== null && typeof r === 'object') return undefined;
    throw badRecord(`${step}: the record is ${describeValue(r)}, not an object with field "${field}"`);
  };
}

function fail(step: string, field: string | undefined, value: unknown): never {
  throw notANumber(step, field, value);
}

/** The error for a value that should be a number. */
export function notANumber(step: string, field: string | undefined, value: unknown): FlowError {
  return badRecord(
    `${step}: ${fieldLabel(field)} is ${describeValue(value)}, not a number`,
    'convert it first, e.g. with a `transform` or `set` step using Number(...), or filter such records out',
  );
}
