// What JSON.parse would change silently: an integer past 2^53 (rounded), a number too large for a
// double (Infinity, which prints as null) and a repeated key (the last value kept). Only a value with
// a number outside (-2^53, 2^53), or text that may hold more keys than the value has, can hold any of
// them; such text is read again here, where an integer literal that is not a safe integer becomes an
// exact BigInt, and a number beyond a double or a repeated key is an error.
import { FlowError } from '../../../engine/contract/errors.js';
import { setField } from '../../kit/record.js';

/** A number literal too large for a double: a record error, never Infinity. */
export class NumberOverflow extends Error {
  constructor(
    readonly text: string,
    /** The offset of the literal in the text parsed. */
    readonly offset: number,
  ) {
    super(`the number ${text.length > 40 ? `${text.slice(0, 37)}...` : text} is too large for a 64-bit float (it would be Infinity)`);
    this.name = 'NumberOverflow';
  }
}

/** The record error of an overflowing number on a line; `offset` is counted from the line's start. */
export function overflowError(name: string, line: number | undefined, err: NumberOverflow, offset = err.offset): FlowError {
  return new FlowError({
    code: 'RECORD_PARSE',
    message: `${err.message}, at column ${offset + 1}`,
    record: { file: name, line },
    hint: 'numbers must fit a 64-bit float (up to about 1.8e308): to keep a larger one, write it as a string',
  });
}

/** A key repeated in one object: JSON.parse would keep its last value and drop the others silently. */
export class DuplicateKey extends Error {
  constructor(
    readonly key: string,
    /** The offset of the repeated key's opening quote in the text parsed. */
    readonly offset: number,
  ) {
    super(`the key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key)} appears twice in one object`);
    this.name = 'DuplicateKey';
  }
}

/** The record error of a repeated key on a line; `offset` is counted from the line's start. */
export function duplicateError(name: string, line: number | undefined, err: DuplicateKey, offset = err.offset): FlowError {
  return new FlowError({
    code: 'RECORD_PARSE',
    message: `${err.message}, at column ${offset + 1}`,
    record: { file: name, line },
    hint: 'each key of a JSON object must be unique (JSON.parse would keep only the last value): rename or drop the repeated one',
  });
}

/** JSON.parse, except that unsafe integers are BigInts, and overflowing numbers and repeated keys throw. */
export function parseExact(text: string): unknown {
  const value: unknown = JSON.parse(text); // a syntax error is JSON.parse's, with its message
  let large: boolean;
  keys = 0;
  try {
    large = walk(value);
  } catch {
    return value; // nested deeper than the stack: left as JSON.parse gives it
  }
  return large || (keys > 0 && mayRepeat(text, keys)) ? exactValue(text, { i: 0 }) : value;
}

const LIMIT = 2 ** 53;

/** The keys walk() counted: a module variable, not an object per parse. */
let keys = 0;

/** hasLarge(v), counting the keys of every object of `v` into `keys` on the way. */
function walk(v: unknown): boolean {
  if (typeof v === 'number') return !(v < LIMIT && v > -LIMIT);
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (walk(v[i])) return true;
    return false;
  }
  for (const k in v) {
    keys++;
    if (walk((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/**
 * Whether `text` may hold more than `parsed` keys (a repeated key), by a count of colons: every key
 * has its own, right after its closing quote or after blanks. A colon there (or in a string, after a
 * quote or a blank) counts; equal to the parsed keys, none is repeated (the usual case).
 */
function mayRepeat(text: string, parsed: number): boolean {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    const c = text.charCodeAt(i - 1);
    if ((c === 34 || c === 32 || c === 9 || c === 10 || c === 13) && ++n > parsed) return true;
  }
  return false;
}

/** A number outside (-2^53, 2^53) somewhere in a parsed value: maybe rounded, maybe Infinity. */
export function hasLarge(v: unknown): boolean {
  if (typeof v === 'number') return !(v < LIMIT && v > -LIMIT);
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasLarge(v[i])) return true;
    return false;
  }
  for (const k in v) if (hasLarge((v as Record<string, unknown>)[k])) return true;
  return false;
}

/** An integer token: a BigInt when it is not a safe integer (JSON.parse would round it), else the number. */
export function exactInteger(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

// A number token of valid JSON: its integer digits, fraction and exponent digits are groups 1 to 3.
const NUMBER = /-?(\d+)(\.\d+)?(?:[eE][+-]?(\d+))?/y;

/** The number token at s[i]: its exact value; throws NumberOverflow. */
function numberAt(s: string, i: number): { value: number | bigint; end: number } {
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(s)!;
  const end = NUMBER.lastIndex;
  if (m[2] === undefined && m[3] === undefined) return { value: exactInteger(m[0]), end };
  const value = Number(m[0]);
  if (value === Infinity || value === -Infinity) throw new NumberOverflow(m[0], i);
  return { value, end };
}

/** The index of the closing quote of the string token that opens at i. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; ; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34 || j >= s.length) return j;
  }
}

function blanks(s: string, at: { i: number }): void {
  for (let c = s.charCodeAt(at.i); c === 32 || c === 9 || c === 10 || c === 13; c = s.charCodeAt(++at.i));
}

/** A recursive reading of valid JSON text (JSON.parse accepted it) with exact numbers. */
function exactValue(s: string, at: { i: number }): unknown {
  blanks(s, at);
  const c = s.charCodeAt(at.i);
  if (c === 123) {
    const out: Record<string, unknown> = {};
    at.i++;
    blanks(s, at);
    if (s.charCodeAt(at.i) === 125) return (at.i++, out);
    for (;;) {
      blanks(s, at);
      const from = at.i;
      const key = string(s, at);
      if (Object.hasOwn(out, key)) throw new DuplicateKey(key, from);
      blanks(s, at);
      at.i++; // ':'
      setField(out, key, exactValue(s, at)); // "__proto__" an own field, as JSON.parse makes it
      blanks(s, at);
      if (s.charCodeAt(at.i++) === 125) return out;
    }
  }
  if (c === 91) {
    const out: unknown[] = [];
    at.i++;
    blanks(s, at);
    if (s.charCodeAt(at.i) === 93) return (at.i++, out);
    for (;;) {
      out.push(exactValue(s, at));
      blanks(s, at);
      if (s.charCodeAt(at.i++) === 93) return out;
    }
  }
  if (c === 34) return string(s, at);
  if (c === 116) return ((at.i += 4), true);
  if (c === 102) return ((at.i += 5), false);
  if (c === 110) return ((at.i += 4), null);
  const { value: n, end } = numberAt(s, at.i);
  at.i = end;
  return n;
}

function string(s: string, at: { i: number }): string {
  const end = stringEnd(s, at.i);
  const token = s.slice(at.i, end + 1);
  at.i = end + 1;
  return token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1);
}
