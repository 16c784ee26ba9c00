// The shape of a compact NDJSON line (its keys in order, no blanks) as a sticky RegExp: most files
// repeat one shape, and V8 runs such a RegExp as native code, several times faster than a scan in
// JavaScript or JSON.parse. It matches only lines that are certainly valid JSON, and only strings
// without escapes; anything else is left to the scanner in ndjson-fields.ts.

export interface Shape {
  /** Sticky: set lastIndex to the line's start; a match must end exactly at the line's end. */
  re: RegExp;
  /** The record of a match: the wanted fields the shape has, in the order of `fields`. */
  make: (m: RegExpExecArray) => Record<string, unknown>;
}

const CHARS = '[^"\\\\\\x00-\\x1f]*';
// Numbers that are surely finite doubles, a wanted one also a safe integer when whole (up to 15
// digits, exponents of up to 2 digits); other numbers go to the scanner (ndjson-fields.ts).
const WANTED_NUMBER = '-?(?:0|[1-9]\\d{0,14})(?:\\.\\d+)?(?:[eE][+-]?\\d{1,2})?';
const SKIPPED_NUMBER = '-?(?:0|[1-9]\\d{0,199})(?:\\.\\d+)?(?:[eE][+-]?\\d{1,2})?';
// A wanted value: its string content, its number text, or the word, in three groups.
const WANTED = `(?:"(${CHARS})"|(${WANTED_NUMBER})|(true|false|null))`;
const SKIPPED = `(?:"${CHARS}"|${SKIPPED_NUMBER}|true|false|null)`;

/**
 * `keys`: the raw text of each key (no quote, backslash or control character); `slots`: its index
 * in `fields`, or -1 when it is not wanted.
 */
export function compileShape(keys: readonly string[], slots: readonly number[], fields: readonly string[]): Shape {
  let source = '\\{';
  const wanted: number[] = [];
  keys.forEach((key, p) => {
    source += `${p > 0 ? ',' : ''}"${key.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}":`;
    if (slots[p]! >= 0) {
      source += WANTED;
      wanted.push(slots[p]!);
    } else source += SKIPPED;
  });
  // One object literal per shape: records of one shape share a hidden class and are built without
  // keyed stores. A repeated key: its last value wins (lastIndexOf), as in JSON.parse. A computed
  // key makes "__proto__" an own field, as JSON.parse does, rather than the prototype.
  // A wanted value is in one of its three groups (string content, number text, word), decoded inline.
  const members = fields.flatMap((name, k) => {
    const w = wanted.lastIndexOf(k);
    if (w < 0) return [];
    const g = 1 + 3 * w;
    const value = `(m[${g}] !== undefined ? m[${g}] : m[${g + 1}] !== undefined ? Number(m[${g + 1}]) : word(m[${g + 2}]))`;
    return [`${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: ${value}`];
  });
  const make = new Function('word', `"use strict"; return function (m) { return { ${members.join(', ')} }; };`)(wordValue) as Shape['make'];
  return { re: new RegExp(`${source}\\}`, 'y'), make };
}

/** A wanted value that is a word: what JSON.parse gives for it. */
function wordValue(word: string | undefined): boolean | null {
  return word === 'true' ? true : word === 'false' ? false : null;
}
