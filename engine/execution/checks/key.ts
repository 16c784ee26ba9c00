// The key of a `unique` check, in two forms made in one loop: a 52-bit hash (what the main thread
// sorts, 8 bytes a record, exact in a Float64Array) and the key's bytes (what it compares when two
// hashes are equal, read back from the chunk's spill file). The bytes are tagged and
// length-prefixed, so two keys have the same bytes exactly when they are equal: 0 and -0 are one
// value, as is every NaN; 1 and "1" differ; a key with a null or missing part has no key.
import type { FieldReader } from '../../../steps/kit/record.js';

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const octets = new Uint8Array(bits.buffer);

/** Writes the keys of a chunk's records one after another; `hash` returns each key's hash. */
export class KeyWriter {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  constructor(private readonly readers: FieldReader[]) {}

  /** The record's key hash, its bytes appended; undefined (nothing appended) when a part is null or missing. */
  add(record: unknown): number | undefined {
    const start = this.length;
    let h1 = 0x9747b28c;
    let h2 = 0x85ebca6b;
    for (let p = 0; p < this.readers.length; p++) {
      const value = this.readers[p]!(record);
      if (value === null || value === undefined) {
        this.length = start;
        return undefined;
      }
      if (typeof value === 'number') {
        bits[0] = value === 0 ? 0 : Number.isNaN(value) ? NaN : value;
        h1 = Math.imul(h1 ^ words[0]!, 0x01000193);
        h2 = Math.imul(h2 ^ words[1]!, 0x5bd1e995);
        h2 ^= h2 >>> 15;
        if (this.length + 9 > this.bytes.length) this.room(9);
        const b = this.bytes;
        let n = this.length;
        b[n++] = 2;
        for (let i = 0; i < 8; i++) b[n++] = octets[i]!;
        this.length = n;
        continue;
      }
      const text = typeof value === 'string' ? value : partText(value);
      const tag = typeof value === 'string' ? 1 : typeof value === 'boolean' ? 3 : 4;
      const length = text.length;
      h1 = Math.imul(h1 ^ tag, 0x01000193);
      h2 = Math.imul(h2 ^ (tag + length), 0x5bd1e995);
      // A tag, the length in 4 bytes, then a byte a character (a wide tag and 2 bytes when one is past 0xff).
      if (this.length + 5 + 2 * length > this.bytes.length) this.room(5 + 2 * length);
      const b = this.bytes;
      const at = this.length;
      let n = at + 5;
      // Two characters a step; the second lane is a shift-and-add (Java's string hash), no multiply.
      let all = 0;
      let i = 0;
      for (; i + 1 < length; i += 2) {
        const c = text.charCodeAt(i);
        const d = text.charCodeAt(i + 1);
        const cd = c | (d << 16);
        h1 = Math.imul(h1 ^ cd, 0x01000193);
        h2 = ((h2 << 5) - h2 + cd) | 0;
        b[n] = c;
        b[n + 1] = d;
        n += 2;
        all |= c | d;
      }
      if (i < length) {
        const c = text.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = ((h2 << 5) - h2 + c) | 0;
        b[n++] = c;
        all |= c;
      }
      const wide = all > 0xff;
      if (wide) {
        n = at + 5;
        for (let i = 0; i < length; i++) {
          const c = text.charCodeAt(i);
          b[n++] = c & 0xff;
          b[n++] = c >>> 8;
        }
      }
      b[at] = wide ? tag + 8 : tag;
      b[at + 1] = length & 0xff;
      b[at + 2] = (length >>> 8) & 0xff;
      b[at + 3] = (length >>> 16) & 0xff;
      b[at + 4] = length >>> 24;
      this.length = n;
    }
    return (fmix(h1) >>> 0) * 0x100000 + (fmix(h2 ^ this.readers.length) >>> 12);
  }

  private room(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + more));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

function partText(value: unknown): string {
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
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

/** One record's key as text that equals another's exactly when the keys are equal (tests, and comparing). */
export function keyOf(record: unknown, readers: FieldReader[]): { hash: number; key: string } | undefined {
  const writer = new KeyWriter(readers);
  const hash = writer.add(record);
  return hash === undefined ? undefined : { hash, key: Buffer.from(writer.bytes.buffer, 0, writer.length).toString('latin1') };
}
