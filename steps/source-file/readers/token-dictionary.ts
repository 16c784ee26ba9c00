// One column of the NDJSON columns reader: each row's value token interned by its bytes, so a value
// is decoded once per chunk however often it comes (airport codes, small integers, dates of a
// day). The dictionary holds what parseExact gives for the token: the record path's value.
import { exactInteger } from './exact-json.js';
import { ESCAPED, FRACTION, HIGH, NUMBER, STRING } from '../../kit/wasm/ndjson.js';

/** intern's answer for a token whose value the record path refuses (a number too large for a double). */
const REFUSED = -1;
/** decode's answer for such a token. */
const OVERFLOW = Symbol('overflow');

export class TokenDictionary {
  /** Each row's entry. */
  indices = new Int32Array(1 << 14);
  rows = 0;
  values: unknown[] = [];
  // Open addressing: entry + 1 per slot (0: empty); an entry's token bytes are kept (blocks are recycled).
  private table = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 9);
  private starts = new Int32Array(1 << 9);
  private store = new Uint8Array(1 << 14);
  private stored = 0;

  reset(): void {
    this.rows = 0;
    if (this.values.length > 0) this.table.fill(0);
    this.values = [];
    this.stored = 0;
  }

  /** Appends the row whose token is buf[t, p) (`flags` and hash `h` as the scan gave them); false when it must go record by record. */
  add(buf: Uint8Array, t: number, p: number, flags: number, h: number): boolean {
    const table = this.table;
    const mask = table.length - 1;
    let slot = h & mask;
    let entry: number;
    for (;;) {
      entry = table[slot]! - 1;
      if (entry < 0) {
        entry = this.intern(buf, t, p, flags, h);
        if (entry === REFUSED) return false;
        break;
      }
      if (this.hashes[entry] === h && this.same(entry, buf, t, p)) break;
      slot = (slot + 1) & mask;
    }
    if (this.rows === this.indices.length) this.indices = grown(this.indices, this.rows);
    this.indices[this.rows++] = entry;
    return true;
  }

  private same(entry: number, buf: Uint8Array, t: number, p: number): boolean {
    const from = this.starts[entry]!;
    const to = entry + 1 < this.values.length ? this.starts[entry + 1]! : this.stored;
    if (to - from !== p - t) return false;
    const store = this.store;
    for (let i = 0; i < to - from; i++) if (store[from + i] !== buf[t + i]) return false;
    return true;
  }

  private intern(buf: Uint8Array, t: number, p: number, flags: number, h: number): number {
    const value = decode(buf, t, p, flags);
    if (value === OVERFLOW) return REFUSED;
    const entry = this.values.length;
    if (entry === this.starts.length) {
      this.starts = grown(this.starts, entry);
      this.hashes = grown(this.hashes, entry);
    }
    if (this.stored + p - t > this.store.length) {
      const bigger = new Uint8Array(Math.max(2 * this.store.length, this.stored + p - t));
      bigger.set(this.store.subarray(0, this.stored));
      this.store = bigger;
    }
    this.store.set(buf.subarray(t, p), this.stored);
    this.starts[entry] = this.stored;
    this.hashes[entry] = h;
    this.stored += p - t;
    this.values.push(value);
    // At most half full: a probe ends soon.
    if (2 * this.values.length > this.table.length) this.rehash();
    else this.place(entry);
    return entry;
  }

  private place(entry: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = entry + 1;
  }

  private rehash(): void {
    this.table = new Int32Array(2 * this.table.length);
    for (let e = 0; e < this.values.length; e++) this.place(e);
  }
}

function grown(from: Int32Array, used: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(2 * from.length);
  bigger.set(from.subarray(0, used));
  return bigger;
}

/** The token's value as parseExact gives it; OVERFLOW for a number beyond a double (the record path's error). */
function decode(buf: Uint8Array, t: number, p: number, flags: number): unknown {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (flags & STRING) {
    if (flags & ESCAPED) return JSON.parse(bytes.toString('utf8', t, p));
    return bytes.toString(flags & HIGH ? 'utf8' : 'latin1', t + 1, p - 1);
  }
  if (flags & NUMBER) {
    const text = bytes.toString('latin1', t, p);
    // An integer literal past 2^53 is an exact BigInt, as exact-json.ts makes it.
    if (!(flags & FRACTION)) return exactInteger(text);
    const value = Number(text);
    return value === Infinity || value === -Infinity ? OVERFLOW : value;
  }
  const c = buf[t];
  return c === 116 ? true : c === 102 ? false : null;
}
