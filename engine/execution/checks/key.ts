// The key of a `unique` check: a 52-bit hash of a record's key fields (what workers send, 8 bytes a
// record) and the exact key text (what the main thread compares when two hashes are equal). Both
// treat the same values as equal: 0 and -0, every NaN; 1 and "1" differ.
import type { FieldReader } from '../../../steps/kit/record.js';

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** The key's hash, an integer below 2^52 (exact in a Float64Array); undefined when a part is null or missing. */
export function keyHash(record: unknown, readers: FieldReader[]): number | undefined {
  let h1 = 0x9747b28c;
  let h2 = 0x85ebca6b;
  for (let p = 0; p < readers.length; p++) {
    const value = readers[p]!(record);
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'number') {
      bits[0] = value === 0 ? 0 : Number.isNaN(value) ? NaN : value;
      h1 = Math.imul(h1 ^ 2, 0x01000193);
      h2 = Math.imul(h2 ^ 2, 0x5bd1e995);
      h1 = Math.imul(h1 ^ words[0]!, 0x01000193);
      h2 = Math.imul(h2 ^ words[1]!, 0x5bd1e995);
      h2 ^= h2 >>> 15;
      continue;
    }
    const text = typeof value === 'string' ? value : partText(value);
    const tag = typeof value === 'string' ? 1 : typeof value === 'boolean' ? 3 : 4;
    h1 = Math.imul(h1 ^ tag, 0x01000193);
    h2 = Math.imul(h2 ^ (tag + text.length), 0x5bd1e995);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 13;
    }
  }
  return (fmix(h1) >>> 0) * 0x100000 + (fmix(h2 ^ readers.length) >>> 12);
}

/** The exact key, as text that two keys share only when they are equal; undefined when a part is null or missing. */
export function keyText(record: unknown, readers: FieldReader[]): string | undefined {
  let out = '';
  for (const read of readers) {
    const value = read(record);
    if (value === null || value === undefined) return undefined;
    const text = typeof value === 'number' ? String(value === 0 ? 0 : value) : typeof value === 'string' ? value : partText(value);
    out += `${typeof value === 'number' ? 'n' : typeof value === 'string' ? 's' : typeof value === 'boolean' ? 'b' : 'o'}${text.length}:${text}`;
  }
  return out;
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
