// Typing CSV fields straight from the block's text, without slicing a string for most numbers.
// Every shortcut here gives exactly what fieldValue(text.slice(from, to), false, true) gives; what
// it does not recognise goes to inferValue.
import { inferValue } from './csv.js';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The number of text[from, to) when it is plainly written: -?(0|[1-9][0-9]*)(\.[0-9]+)? with at most
 * 15 digits; NaN for anything else (the caller then asks inferValue). With at most 15 digits the
 * digits m are exact and 10^k too, so m / 10^k is one correctly rounded division: Number()'s value.
 */
export function plainNumber(text: string, from: number, to: number): number {
  let i = from;
  const neg = text.charCodeAt(i) === 45;
  if (neg) i++;
  let m = 0;
  let digits = 0;
  if (text.charCodeAt(i) === 48) {
    i++; // a leading 0 may only be followed by '.' ("007" is text)
    digits = 1;
  } else {
    for (; i < to; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      m = m * 10 + d;
      digits++;
    }
  }
  if (digits === 0 || i > to) return NaN;
  let scale = 0;
  if (i < to) {
    if (text.charCodeAt(i) !== 46) return NaN;
    const point = ++i;
    for (; i < to; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      m = m * 10 + d;
    }
    scale = i - point;
    if (scale === 0) return NaN; // "1." is Number's, but rare: let inferValue say
    digits += scale;
  }
  if (digits > 15) return NaN;
  const v = scale === 0 ? m : m / POW10[scale]!;
  return neg ? -v : v;
}

/** fieldValue(text.slice(from, to), false, infer): the value of an unquoted field. */
export function valueAt(text: string, from: number, to: number, infer: boolean, strings: TextCache): unknown {
  if (!infer) return strings.get(text, from, to);
  if (from === to) return null;
  const c = text.charCodeAt(from);
  if ((c >= 48 && c <= 57) || c === 45) {
    const n = plainNumber(text, from, to);
    return n === n ? n : inferValue(text.slice(from, to));
  }
  // Other starts of a number (+, .) or of a boolean (t, T, f, F).
  if (c === 43 || c === 46 || c === 116 || c === 84 || c === 102 || c === 70) return inferValue(text.slice(from, to));
  return strings.get(text, from, to);
}

const SLOTS = 4096;
// Codes and short names (airports, states, flags) repeat; longer texts rarely do.
const LONGEST = 8;

/**
 * Short texts seen before are handed out again instead of sliced anew: a key column ("LAS") then
 * costs no allocation per row, and the group's Map finds the same string with its hash cached.
 * Strings are immutable values, so sharing one is invisible to the steps.
 */
export class TextCache {
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  private readonly hashes = new Int32Array(SLOTS);
  private filled = 0;

  get(text: string, from: number, to: number): string {
    const length = to - from;
    if (length > LONGEST) return text.slice(from, to);
    let h = length;
    let exact = length <= 3; // up to 3 latin1 chars: h is the text itself, no need to compare chars
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c > 255) exact = false;
      h = exact ? (h << 8) | c : (Math.imul(h, 31) + c) | 0;
    }
    if (!exact) h = h | 0x40000000; // never equal to an exact key (those are below 2^26)
    // Open addressing, at most half full: a column of many distinct values stops adding at that point.
    for (let slot = Math.imul(h, 0x9e3779b1) >>> 20; ; slot = (slot + 1) & (SLOTS - 1)) {
      const known = this.texts[slot];
      if (known === undefined) {
        const s = text.slice(from, to);
        if (this.filled < SLOTS / 2) {
          this.texts[slot] = s;
          this.hashes[slot] = h;
          this.filled++;
        }
        return s;
      }
      if (this.hashes[slot] === h && (exact || (known.length === length && sameText(known, text, from)))) return known;
    }
  }
}

function sameText(known: string, text: string, from: number): boolean {
  for (let i = 0; i < known.length; i++) if (known.charCodeAt(i) !== text.charCodeAt(from + i)) return false;
  return true;
}
