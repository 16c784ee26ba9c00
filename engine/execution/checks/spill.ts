// A unique check's spill file, one per chunk: what the main thread needs only for the few keys
// whose hash repeats, so it stays on disk instead of crossing the thread boundary and filling
// the main thread's memory. Layout: n + 1 offsets (where each key's bytes start, and the end), n
// records (each key's place among the records the chunk read), as 32-bit words in the machine's
// order (a file is read on the machine that wrote it), then the keys' bytes. A chunk read as columns
// writes its keys as entries instead (writeEntrySpill): each row's dictionary entry per field, and
// each entry's part bytes once.
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

export function writeSpill(file: string, offsets: Uint32Array, ats: Uint32Array, keys: Uint8Array): void {
  writeParts(file, [offsets, ats, keys]);
}

/** One field of keys kept as dictionary entries: row r's entry, and entry e's part bytes[offsets[e], offsets[e + 1]) (empty: no part) and hash. */
export interface EntryField {
  indices: Int32Array | Uint32Array;
  offsets: Uint32Array;
  bytes: Uint8Array;
  partA: Int32Array;
  partB: Int32Array;
}

/**
 * Keys as entries: a header (keys, rows, fields, whether key i is row i; then per field its entries
 * and part bytes), each key's row (unless key i is row i), then per field every row's entry, the
 * entries' offsets and their part bytes (padded to 4 bytes).
 */
export function writeEntrySpill(file: string, ats: Uint32Array, rows: number, fields: readonly EntryField[]): void {
  const n = ats.length;
  const identity = n === rows && (n === 0 || ats[n - 1] === n - 1);
  const header = Uint32Array.from([n, rows, fields.length, identity ? 1 : 0, ...fields.flatMap((f) => [f.offsets.length - 1, f.bytes.length])]);
  const pad = (bytes: Uint8Array) => new Uint8Array((4 - (bytes.length % 4)) % 4);
  writeParts(file, [header, ...(identity ? [] : [ats]), ...fields.flatMap((f) => [f.indices.subarray(0, rows), f.offsets, f.bytes, pad(f.bytes)])]);
}

function writeParts(file: string, parts: ArrayBufferView[]): void {
  const fd = openSync(file, 'w');
  try {
    for (const part of parts) {
      const bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
    }
  } finally {
    closeSync(fd);
  }
}

/** Where readEntrySpill reads a file, kept by its caller from file to file (a fresh buffer would be zeroed and faulted in each time). */
export interface SpillBuffer {
  bytes: Uint8Array;
}

/** The keys at `picked` of an entry spill file (all of it is read, into `into`; the picked keys' bytes are copied out). */
export function readEntrySpill(file: string, picked: number[], into: SpillBuffer = { bytes: new Uint8Array(0) }): PickedKeys {
  const fd = openSync(file, 'r');
  let all: Uint8Array;
  try {
    const size = fstatSync(fd).size;
    if (into.bytes.length < size) into.bytes = new Uint8Array(Math.max(size, 2 * into.bytes.length));
    all = into.bytes.subarray(0, size);
    readAll(fd, all, 0);
  } finally {
    closeSync(fd);
  }
  const words = new Uint32Array(all.buffer, 0, all.length >>> 2);
  const [n, rows, k, identity] = words as unknown as [number, number, number, number];
  let at = 4 + 2 * k;
  // A copy: the buffer holds the next file soon, and a key's record may be asked for after that.
  const ats = identity ? undefined : words.slice(at, (at += n));
  const fields = Array.from({ length: k }, (_, c) => {
    const entries = words[4 + 2 * c]!;
    const size = words[5 + 2 * c]!;
    const indices = words.subarray(at, (at += rows));
    const offsets = words.subarray(at, (at += entries + 1));
    const bytes = all.subarray(4 * at, 4 * at + size);
    at += Math.ceil(size / 4);
    return { indices, offsets, bytes };
  });
  const rowOf = (i: number) => (ats ? ats[i]! : i);
  // A key's bytes: its row's entries' parts, in field order.
  const starts = new Uint32Array(2 * picked.length);
  let size = 0;
  picked.forEach((i, p) => {
    starts[2 * p] = size;
    for (const f of fields) {
      const entry = f.indices[rowOf(i)]!;
      size += f.offsets[entry + 1]! - f.offsets[entry]!;
    }
    starts[2 * p + 1] = size;
  });
  const bytes = new Uint8Array(size);
  picked.forEach((i, p) => {
    let end = starts[2 * p]!;
    for (const f of fields) {
      const entry = f.indices[rowOf(i)]!;
      bytes.set(f.bytes.subarray(f.offsets[entry]!, f.offsets[entry + 1]!), end);
      end += f.offsets[entry + 1]! - f.offsets[entry]!;
    }
  });
  return { bytes, starts, at: rowOf };
}

/** Keys read back: the k-th picked one is bytes[starts[2k], starts[2k + 1]); `at(i)`: key i's record. */
export interface PickedKeys {
  bytes: Uint8Array;
  starts: Uint32Array;
  at(i: number): number;
}

/** The keys at `picked` (ascending) of a file of `count` keys; a key's record is read when asked (for an example). */
export function readSpill(file: string, count: number, picked: number[]): PickedKeys {
  const fd = openSync(file, 'r');
  try {
    const offsets = new Uint32Array(count + 1);
    readAll(fd, offsets, 0);
    const start = 4 * (2 * count + 1);
    const at = (i: number) => {
      const one = new Uint32Array(1);
      const again = openSync(file, 'r');
      try {
        readAll(again, one, 4 * (count + 1 + i));
      } finally {
        closeSync(again);
      }
      return one[0]!;
    };
    // Many keys: all the key bytes at once instead of a read each.
    if (picked.length > count / 64) {
      const bytes = new Uint8Array(offsets[count]!);
      readAll(fd, bytes, start);
      return { ...keysAt({ bytes, offsets, ats: new Uint32Array(0) }, picked), at };
    }
    const starts = new Uint32Array(2 * picked.length);
    let size = 0;
    picked.forEach((i, k) => {
      starts[2 * k] = size;
      starts[2 * k + 1] = size += offsets[i + 1]! - offsets[i]!;
    });
    const bytes = new Uint8Array(size);
    picked.forEach((i, k) => readAll(fd, bytes.subarray(starts[2 * k]!, starts[2 * k + 1]!), start + offsets[i]!));
    return { bytes, starts, at };
  } finally {
    closeSync(fd);
  }
}

/** The keys at `picked` of keys held in memory. */
export function keysAt(keys: { bytes: Uint8Array; offsets: Uint32Array; ats: Uint32Array }, picked: number[]): PickedKeys {
  const starts = new Uint32Array(2 * picked.length);
  picked.forEach((i, k) => {
    starts[2 * k] = keys.offsets[i]!;
    starts[2 * k + 1] = keys.offsets[i + 1]!;
  });
  return { bytes: keys.bytes, starts, at: (i) => keys.ats[i]! };
}

function readAll(fd: number, into: Uint8Array | Uint32Array, position: number): void {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  for (let done = 0; done < bytes.length;) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) throw new Error(`unique: spill file ended early at byte ${position + done}`);
    done += n;
  }
}
