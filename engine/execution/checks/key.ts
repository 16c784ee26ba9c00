// The key of a `unique` check as bytes: each part self-delimiting and tagged, so two keys have the
// same bytes exactly when they are equal (0 and -0 are one value, as is every NaN; 1 and "1"
// differ; a key with a null or missing part has no key). The worker appends a chunk's keys to one
// buffer, record by record; a key's hash is put together from its parts' hashes (so a row read as
// columns hashes from its dictionary entries' part hashes, taken once per entry, as its record
// does); the main thread compares the bytes of the keys whose hashes repeat, read back from the
// chunk's spill file.
import { fieldExpr } from './fields.js';

// A part's first byte: below 0x80 it is the length of a string of at most 127 characters, each
// at most 0xff, one byte a character (the common case: one byte of overhead); otherwise a tag.
const LONG = 0x80; // a string of such characters, any length: 4 bytes of length, a byte a character
const WIDE = 0x81; // a string with a character past 0xff: 4 bytes of length, 2 bytes a character
const NUMBER = 0x82; // 8 bytes: the double (0 for -0, one NaN)
const TRUE = 0x83;
const FALSE = 0x84;
const BIGINT = 0x85; // its decimal text, as WIDE
const OTHER = 0x86; // an object or array: its JSON text, as WIDE

const bits = new Float64Array(1);
const octets = new Uint8Array(bits.buffer);

/** A chunk's keys, one after another; `add` appends one record's and gives its hash. */
export class KeyWriter {
  bytes = new Uint8Array(1 << 16);
  length = 0;
  private readonly read: (record: unknown, writer: KeyWriter) => boolean;

  constructor(fields: readonly string[]) {
    this.read = compileKey(fields);
  }

  /** The last part's hash, two 32-bit lanes (`part` sets them). */
  partA = 0;
  partB = 0;
  /** The key so far: its parts' hashes folded in (keyHash). */
  private keyA = 0;
  private keyB = 0;

  /** Appends the record's key and returns its hash, an integer below 2^52; -1 (nothing appended) when a part is null or missing. */
  add(record: unknown): number {
    const start = this.length;
    this.keyA = KEY_A;
    this.keyB = KEY_B;
    if (this.read(record, this)) return keyHash(this.keyA, this.keyB);
    this.length = start;
    return -1;
  }

  /** Appends bytes[from, to) (a part written before, by `part`). */
  append(bytes: Uint8Array, from: number, to: number): void {
    if (this.length + to - from > this.bytes.length) this.room(to - from);
    const b = this.bytes;
    let at = this.length;
    for (let i = from; i < to; i++) b[at++] = bytes[i]!;
    this.length = at;
  }

  /** One part, its hash in partA/partB and folded into the key's; false when it is null or missing. */
  part(value: unknown): boolean {
    const start = this.length;
    if (!this.write(value)) return false;
    partHash(this.bytes, start, this.length);
    this.partA = lanes[0]!;
    this.partB = lanes[1]!;
    this.keyA = foldA(this.keyA, this.partA);
    this.keyB = foldB(this.keyB, this.partB);
    return true;
  }

  private write(value: unknown): boolean {
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'number') {
      bits[0] = value === 0 ? 0 : Number.isNaN(value) ? NaN : value;
      this.room(9);
      const b = this.bytes;
      let at = this.length;
      b[at++] = NUMBER;
      for (let i = 0; i < 8; i++) b[at++] = octets[i]!;
      this.length = at;
      return true;
    }
    if (value === null || value === undefined) return false;
    if (typeof value === 'boolean') {
      this.room(1);
      this.bytes[this.length++] = value ? TRUE : FALSE;
      return true;
    }
    return this.wide(typeof value === 'bigint' ? BIGINT : OTHER, partText(value));
  }

  private text(value: string): boolean {
    const n = value.length;
    if (n >= LONG) return this.longText(value);
    if (this.length + 1 + n > this.bytes.length) this.room(1 + n);
    const b = this.bytes;
    const at = this.length + 1;
    // `all` says whether a character was past 0xff: then the bytes are rewritten wide.
    let all = 0;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      b[at + i] = c;
      all |= c;
    }
    if (all > 0xff) return this.wide(WIDE, value);
    b[at - 1] = n;
    this.length = at + n;
    return true;
  }

  private longText(value: string): boolean {
    const n = value.length;
    let all = 0;
    for (let i = 0; i < n; i++) all |= value.charCodeAt(i);
    if (all > 0xff) return this.wide(WIDE, value);
    this.head(LONG, n, n);
    for (let i = 0; i < n; i++) this.bytes[this.length++] = value.charCodeAt(i);
    return true;
  }

  private wide(tag: number, value: string): boolean {
    const n = value.length;
    this.head(tag, n, 2 * n);
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      b[at++] = c & 0xff;
      b[at++] = c >>> 8;
    }
    this.length = at;
    return true;
  }

  /** A tag and a 4-byte length, with room for `more` bytes after them. */
  private head(tag: number, n: number, more: number): void {
    this.room(5 + more);
    const b = this.bytes;
    const at = this.length;
    b[at] = tag;
    b[at + 1] = n & 0xff;
    b[at + 2] = (n >>> 8) & 0xff;
    b[at + 3] = (n >>> 16) & 0xff;
    b[at + 4] = n >>> 24;
    this.length = at + 5;
  }

  private room(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + more));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

// A key's hash: each part's bytes hashed in two 32-bit lanes (partHash), the parts' lanes folded
// in order (foldA/foldB: a rotation and a multiply, so [a, b] and [b, a] differ), finished by
// murmur3's mixer into an integer below 2^52 (a Float64Array holds it exactly).
export const KEY_A = 0x9747b28c;
export const KEY_B = 0x85ebca6b;
/** partHash's answer (no array per call). */
const lanes = new Int32Array(2);

/** The hash of one part's bytes b[from, to), into `lanes`: two lanes, two bytes a step, each mixed. */
function partHash(b: Uint8Array, from: number, to: number): void {
  let h1 = 0x811c9dc5 ^ (to - from);
  let h2 = 0x1b873593;
  let i = from;
  for (; i + 1 < to; i += 2) {
    const w = b[i]! | (b[i + 1]! << 8);
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = ((h2 << 5) - h2 + w) | 0;
  }
  if (i < to) {
    h1 = Math.imul(h1 ^ b[i]!, 0x01000193);
    h2 = ((h2 << 5) - h2 + b[i]!) | 0;
  }
  lanes[0] = fmix(h1);
  lanes[1] = fmix(h2);
}

export function foldA(key: number, part: number): number {
  return Math.imul((key << 5) | (key >>> 27), 0x9e3779b1) ^ part;
}

export function foldB(key: number, part: number): number {
  return Math.imul((key << 11) | (key >>> 21), 0x85ebca77) ^ part;
}

/** The finished hash of a key whose parts were folded into a and b. */
export function keyHash(a: number, b: number): number {
  return (fmix(a) >>> 0) * 0x100000 + (fmix(b) >>> 12);
}

/** The record's parts read into the writer, generated once per field list (plain property loads: fields.ts). */
function compileKey(fields: readonly string[]): (record: unknown, writer: KeyWriter) => boolean {
  const parts = fields.map((name) => `w.part(${fieldExpr(name)})`).join(' && ');
  const body = `"use strict"; return function readKey(r, w) { return r !== null && typeof r === 'object' && ${parts || 'true'}; };`;
  return new Function(body)() as (record: unknown, writer: KeyWriter) => boolean;
}

function partText(value: unknown): string {
  if (typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** murmur3's finalizer: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** One record's key as text that equals another's exactly when the keys are equal, and its hash (tests, and comparing). */
export function keyOf(record: unknown, fields: readonly string[]): { hash: number; key: string } | undefined {
  const writer = new KeyWriter(fields);
  const hash = writer.add(record);
  if (hash < 0) return undefined;
  return { hash, key: Buffer.from(writer.bytes.buffer, 0, writer.length).toString('latin1') };
}
