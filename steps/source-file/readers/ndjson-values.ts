// The scalar values of a flat NDJSON line, scanned by hand for the projecting reader (ndjson-fields.ts):
// each gives the index after the value, or FAIL for anything it leaves to JSON.parse.
import { exactInteger } from './exact-json.js';

export const FAIL = -1;

/** Where a scan puts the wanted values: values[k] for the k-th wanted field. */
export interface Values {
  readonly values: unknown[];
}

/**
 * A scalar value at i (no blank before it): stored in values[k] when k >= 0. Returns the index
 * after it, or FAIL for a nested value or anything that is not JSON.
 */
export function value(st: Values, s: string, i: number, end: number, k: number): number {
  let c = s.charCodeAt(i);
  if (c === 34) {
    // Kept small so that it inlines: a string with an escape (or a bad character) goes to `escaped`.
    let j = i + 1;
    for (; j < end; j++) {
      c = s.charCodeAt(j);
      if (c === 34 || c === 92 || c < 32) break;
    }
    if (c !== 34 || j >= end) return escaped(st, s, i, end, k);
    if (k >= 0) st.values[k] = s.slice(i + 1, j);
    return j + 1;
  }
  if (c === 45 || (c >= 48 && c <= 57)) return number(st, s, i, k);
  // A word cannot run past `end`: only '\r', '\n' or nothing follow a line.
  if (c === 116 && s.startsWith('true', i)) return word(st, k, true, i + 4);
  if (c === 102 && s.startsWith('false', i)) return word(st, k, false, i + 5);
  if (c === 110 && s.startsWith('null', i)) return word(st, k, null, i + 4);
  return FAIL; // a nested object or array, or not JSON
}

/** A string token at i that has an escape, or is not JSON: validated here, decoded by JSON.parse. */
function escaped(st: Values, s: string, i: number, end: number, k: number): number {
  let j = i + 1;
  for (; j < end; j++) {
    let c = s.charCodeAt(j);
    if (c === 34) break;
    if (c < 32) return FAIL;
    if (c === 92) {
      c = s.charCodeAt(++j);
      if (c === 117) {
        for (let h = 0; h < 4; h++) if (!isHex(s.charCodeAt(++j))) return FAIL;
      } else if (!(c === 34 || c === 92 || c === 47 || c === 98 || c === 102 || c === 110 || c === 114 || c === 116)) return FAIL;
    }
  }
  if (j >= end) return FAIL;
  if (k >= 0) st.values[k] = JSON.parse(s.slice(i, j + 1));
  return j + 1;
}

function word(st: Values, k: number, v: boolean | null, next: number): number {
  if (k >= 0) st.values[k] = v;
  return next;
}

/**
 * A JSON number at i. Digits stop at `end` by themselves: a line is followed by '\r', '\n' or nothing.
 * An integer that is not safe is an exact BigInt; a number too large for a double fails the scan, so
 * that parseExact reports it (wanted or not, as the full read does).
 */
function number(st: Values, s: string, i: number, k: number): number {
  let j = i;
  let c = s.charCodeAt(j);
  const negative = c === 45;
  if (negative) c = s.charCodeAt(++j);
  let v = 0;
  const first = j;
  if (c === 48) c = s.charCodeAt(++j);
  else if (c >= 49 && c <= 57) {
    do {
      v = v * 10 + (c - 48);
      c = s.charCodeAt(++j);
    } while (c >= 48 && c <= 57);
  } else return FAIL;
  let whole = true;
  // 16 digits or more, or an exponent of 3 digits: maybe past 2^53, maybe past a double.
  let large = j - first > 15;
  if (c === 46) {
    whole = false;
    c = s.charCodeAt(++j);
    if (!(c >= 48 && c <= 57)) return FAIL;
    do c = s.charCodeAt(++j);
    while (c >= 48 && c <= 57);
  }
  if (c === 101 || c === 69) {
    whole = false;
    c = s.charCodeAt(++j);
    if (c === 43 || c === 45) c = s.charCodeAt(++j);
    if (!(c >= 48 && c <= 57)) return FAIL;
    const e = j;
    do c = s.charCodeAt(++j);
    while (c >= 48 && c <= 57);
    large ||= j - e > 2;
  }
  // An integer of up to 15 digits is exact: the same double as JSON.parse gives, -0 included.
  if (!large) {
    if (k >= 0) st.values[k] = whole ? (negative ? -v : v) : Number(s.slice(i, j));
  } else if (whole) {
    if (k >= 0) st.values[k] = exactInteger(s.slice(i, j));
  } else {
    const n = Number(s.slice(i, j));
    if (n === Infinity || n === -Infinity) return FAIL;
    if (k >= 0) st.values[k] = n;
  }
  return j;
}

export function ws(s: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
  }
  return i;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
