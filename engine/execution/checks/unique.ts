// The main thread's half of `unique`: the chunks' key hashes say which hashes repeat; only
// the keys with such a hash are read back (from the chunks' spill files) and compared byte for byte,
// so two different keys that share a hash are never counted. Memory: 16 bytes a checked record (its
// hash, its place and where its key bytes start), plus two bitmaps of at most 8 MiB each;
// the key bytes themselves stay on disk, and only the keys whose hash repeats are read back.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { CheckState, UniqueBlock } from './combiners.js';
import { MAX_EXAMPLES } from './combiners.js';

/** The records that repeat an earlier record's key, counted exactly, and the first ones as examples. */
/** `finder`: one that was handed every block's hashes already, in chunk order. */
export function finishUnique(state: CheckState, finder?: RepeatFinder): { failing: number; examples: Array<[number, number]> } {
  const blocks = state.blocks ?? [];
  const hashes = blocks.map((b) => b.hashes);
  if (!finder) {
    finder = new RepeatFinder(hashes.reduce((n, h) => n + h.length, 0));
    for (const h of hashes) finder.add(h);
  }
  const picks = finder.picks(hashes);
  let failing = 0;
  const examples: Array<[number, number]> = [];
  const first = new Map<number, string>();
  // Keys whose hash another key has too (a true collision): rare, so a plain set.
  const others = new Set<string>();
  blocks.forEach((block, b) => {
    const picked = picks[b]!;
    if (picked.length === 0) return;
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
  });
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

/** Bits of the first look at the hashes: 8 MiB a bitmap at most, whatever the input. */
const MAX_BITS = 2 ** 26;

/**
 * Finds the hashes that occur more than once: `add` each block's hashes in chunk order (as they come,
 * while the workers read on), then `picks`. A bitmap of their low bits finds the few that may repeat
 * (no sort of every hash), and only those are counted.
 */
export class RepeatFinder {
  private readonly seen: Int32Array;
  // The slots met twice: the second pass looks up only the hashes in them.
  private readonly twice: Int32Array;
  private readonly mask: number;
  private readonly maybe = new Set<number>();

  constructor(records = MAX_BITS) {
    let bits = 1024;
    while (bits < records * 32 && bits < MAX_BITS) bits *= 2;
    this.seen = new Int32Array(bits / 32);
    this.twice = new Int32Array(bits / 32);
    this.mask = bits - 1;
  }

  add(hashes: Float64Array): void {
    const { seen, twice, mask, maybe } = this;
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i]!;
      // The low 32 bits (exact below 2^53), then the bitmap's share of them.
      const slot = (hash >>> 0) & mask;
      const word = slot >>> 5;
      const bit = 1 << (slot & 31);
      if (seen[word]! & bit) {
        maybe.add(hash);
        twice[word] = twice[word]! | bit;
      } else seen[word] = seen[word]! | bit;
    }
  }

  /** Per block, the places of the hashes that occur more than once across the blocks. */
  picks(blocks: Float64Array[]): number[][] {
    const { twice, mask, maybe } = this;
    const picks = blocks.map((): number[] => []);
    if (maybe.size === 0) return picks;
    const counts = new Map<number, number>();
    blocks.forEach((block, b) => {
      for (let i = 0; i < block.length; i++) {
        const hash = block[i]!;
        const slot = (hash >>> 0) & mask;
        if (!(twice[slot >>> 5]! & (1 << (slot & 31))) || !maybe.has(hash)) continue;
        counts.set(hash, (counts.get(hash) ?? 0) + 1);
        picks[b]!.push(i);
      }
    });
    return picks.map((picked, b) => picked.filter((i) => counts.get(blocks[b]![i]!)! > 1));
  }
}
