// A unique check's spill file, one per chunk: what the main thread needs only for the few keys
// whose hash repeats, so it stays on disk instead of crossing the thread boundary and filling
// the main thread's memory. Layout: n + 1 offsets (where each key's bytes start, and the end), n
// records (each key's place among the records the chunk read), as 32-bit words in the machine's
// order (a file is read on the machine that wrote it), then the keys' bytes.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

export function writeSpill(file: string, offsets: Uint32Array, ats: Uint32Array, keys: Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    for (const part of [offsets, ats, keys]) {
      const bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
    }
  } finally {
    closeSync(fd);
  }
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
