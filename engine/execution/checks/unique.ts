// The main thread's half of `unique`: the chunks' key hashes, sorted, say which hashes repeat; only
// the keys with such a hash are read back (from the chunks' spill files) and compared byte for byte,
// so two different keys that share a hash are never counted. Memory: 16 bytes a checked record (its
// hash, its place and where its key bytes start) plus a sorted copy of the hashes while finishing
// (8 bytes a record); the key bytes themselves stay on disk, and only repeated keys are read back.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { CheckState, UniqueBlock } from './combiners.js';
import { MAX_EXAMPLES } from './combiners.js';

/** The records that repeat an earlier record's key, counted exactly, and the first ones as examples. */
export function finishUnique(state: CheckState): { failing: number; examples: Array<[number, number]> } {
  const blocks = state.blocks ?? [];
  const repeated = repeatedHashes(blocks.map((b) => b.hashes));
  let failing = 0;
  const examples: Array<[number, number]> = [];
  if (repeated.size === 0) return { failing, examples };
  const first = new Map<number, string>();
  // Keys whose hash another key has too (a true collision): rare, so a plain set.
  const others = new Set<string>();
  for (const block of blocks) {
    const picked: number[] = [];
    for (let i = 0; i < block.hashes.length; i++) if (repeated.has(block.hashes[i]!)) picked.push(i);
    if (picked.length === 0) continue;
    const keys = readKeys(block, picked);
    picked.forEach((i, k) => {
      const hash = block.hashes[i]!;
      const key = keys[k]!;
      const seen = first.get(hash);
      let repeats: boolean;
      if (seen === undefined) {
        first.set(hash, key);
        repeats = false;
      } else if (seen === key) repeats = true;
      else {
        const tagged = `${hash}|${key}`;
        repeats = others.has(tagged);
        others.add(tagged);
      }
      if (!repeats) return;
      failing++;
      if (examples.length < MAX_EXAMPLES) examples.push([block.chunk, block.ats[i]!]);
    });
  }
  return { failing, examples };
}

/** The key bytes of the block's keys at `picked` (ascending), as latin1 text. */
function readKeys(block: UniqueBlock, picked: number[]): string[] {
  const { offsets } = block;
  // Many keys of the block: the whole file at once instead of a read each.
  const bytes = block.keys ?? (picked.length > block.hashes.length / 64 ? readFileSync(block.file!) : undefined);
  if (bytes) return picked.map((i) => Buffer.from(bytes.buffer, bytes.byteOffset + offsets[i]!, offsets[i + 1]! - offsets[i]!).toString('latin1'));
  const fd = openSync(block.file!, 'r');
  try {
    return picked.map((i) => {
      const buffer = Buffer.allocUnsafe(offsets[i + 1]! - offsets[i]!);
      readSync(fd, buffer, 0, buffer.length, offsets[i]!);
      return buffer.toString('latin1');
    });
  } finally {
    closeSync(fd);
  }
}

/** The hashes that occur more than once across the blocks. */
function repeatedHashes(blocks: Float64Array[]): Set<number> {
  const n = blocks.reduce((sum, b) => sum + b.length, 0);
  const sorted = new Float64Array(n);
  let offset = 0;
  for (const b of blocks) {
    sorted.set(b, offset);
    offset += b.length;
  }
  sorted.sort();
  const repeated = new Set<number>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i]!);
  return repeated;
}
