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

/** The keys at `picked` (ascending) of a file of `count` keys, as latin1 text, and every key's record. */
export function readSpill(file: string, count: number, picked: number[]): { keys: string[]; ats: Uint32Array } {
  const fd = openSync(file, 'r');
  try {
    const words = new Uint32Array(2 * count + 1);
    readAll(fd, words, 0);
    const offsets = words.subarray(0, count + 1);
    const start = 4 * words.length;
    // Many keys: all the key bytes at once instead of a read each.
    if (picked.length > count / 64) {
      const bytes = Buffer.allocUnsafe(offsets[count]!);
      readAll(fd, bytes, start);
      return { keys: keysAt(bytes, offsets, picked), ats: words.subarray(count + 1) };
    }
    const keys = picked.map((i) => {
      const bytes = Buffer.allocUnsafe(offsets[i + 1]! - offsets[i]!);
      readAll(fd, bytes, start + offsets[i]!);
      return bytes.toString('latin1');
    });
    return { keys, ats: words.subarray(count + 1) };
  } finally {
    closeSync(fd);
  }
}

/** The keys at `picked` of bytes held in memory, as latin1 text. */
export function keysAt(bytes: Uint8Array, offsets: Uint32Array, picked: number[]): string[] {
  return picked.map((i) => Buffer.from(bytes.buffer, bytes.byteOffset + offsets[i]!, offsets[i + 1]! - offsets[i]!).toString('latin1'));
}

function readAll(fd: number, into: Uint8Array | Uint32Array, position: number): void {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  for (let done = 0; done < bytes.length;) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) throw new Error(`unique: spill file ended early at byte ${position + done}`);
    done += n;
  }
}
