// The main thread's half of `unique`: the chunks' key hashes say which records may repeat a key
// (their hash occurs more than once); only those keys are read back (from the chunks' spill files)
// and compared byte for byte, so two different keys that share a hash are never counted. Memory:
// 12 bytes a checked record (its hash and its place); the key bytes, where each starts and its
// record stay on disk (spill.ts).
import type { CheckState } from './combiners.js';
import { MAX_EXAMPLES } from './combiners.js';
import { keysAt, readSpill } from './spill.js';

/** The records that repeat an earlier record's key, counted exactly, and the first ones as examples. */
/** `finder`: one that was handed every block's hashes already, in chunk order. */
export function finishUnique(state: CheckState, finder?: RepeatFinder): { failing: number; examples: Array<[number, number]> } {
  const blocks = state.blocks ?? [];
  if (!finder) {
    finder = new RepeatFinder();
    for (const block of blocks) finder.add(block.hashes);
  }
  const marks = finder.repeats();
  let failing = 0;
  const examples: Array<[number, number]> = [];
  // Equal keys have equal hashes, so every key another record has is among the marked ones.
  const seen = new Set<string>();
  let base = 0;
  for (const block of blocks) {
    const picked = marked(marks, base, block.count);
    base += block.count;
    if (picked.length === 0) continue;
    const { keys, ats } = block.keys
      ? { keys: keysAt(block.keys.bytes, block.keys.offsets, picked), ats: block.keys.ats }
      : readSpill(block.file!, block.count, picked);
    picked.forEach((i, k) => {
      const key = keys[k]!;
      if (!seen.has(key)) {
        seen.add(key);
        return;
      }
      failing++;
      if (examples.length < MAX_EXAMPLES) examples.push([block.chunk, ats[i]!]);
    });
  }
  return { failing, examples };
}

/** The places i < n whose bit from + i is set, ascending. */
function marked(marks: Uint32Array, from: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n;) {
    const g = from + i;
    // A whole word without a mark is skipped at once.
    if ((g & 31) === 0 && i + 32 <= n && marks[g >>> 5] === 0) {
      i += 32;
      continue;
    }
    if (marks[g >>> 5]! & (1 << (g & 31))) out.push(i);
    i++;
  }
  return out;
}

/** Partitions of the hashes by their low bits: 3M keys make 256 of 12k, each a table that stays in cache. */
const PARTS = 256;

/** A block's hashes ordered by partition (a counting sort), with each one's place over all blocks. */
interface Sorted {
  hashes: Float64Array;
  places: Uint32Array;
  /** Partition p is [starts[p], starts[p + 1]). */
  starts: Uint32Array;
}

/**
 * Finds the records whose hash another record has: `add` each block's hashes in chunk order (as they
 * come, while the workers read on), then `repeats`. `add` sorts a block's hashes by partition (two
 * passes over a block that fits in the cache); `repeats` then finds the repeats of each partition,
 * over every block's share of it, in a table of its own (where one table of every hash would miss
 * the cache on each one).
 */
export class RepeatFinder {
  private readonly blocks: Sorted[] = [];
  private total = 0;

  add(block: Float64Array): void {
    const n = block.length;
    const starts = new Uint32Array(PARTS + 1);
    // `>>> 0`: the low 32 bits of the integer (hashes are below 2^52).
    for (let i = 0; i < n; i++) {
      const p = ((block[i]! >>> 0) & (PARTS - 1)) + 1;
      starts[p] = starts[p]! + 1;
    }
    for (let p = 0; p < PARTS; p++) starts[p + 1] = starts[p + 1]! + starts[p]!;
    const next = starts.slice(0, PARTS);
    const hashes = new Float64Array(n);
    const places = new Uint32Array(n);
    const base = this.total;
    for (let i = 0; i < n; i++) {
      const hash = block[i]!;
      const p = (hash >>> 0) & (PARTS - 1);
      const at = next[p]!;
      next[p] = at + 1;
      hashes[at] = hash;
      places[at] = base + i;
    }
    this.blocks.push({ hashes, places, starts });
    this.total += n;
  }

  /** A bitmap of the places (over all blocks, in order) whose hash occurs more than once. */
  repeats(): Uint32Array {
    const marks = new Uint32Array(Math.ceil(this.total / 32));
    const mark = (g: number) => void (marks[g >>> 5] = marks[g >>> 5]! | (1 << (g & 31)));
    let hashes = new Float64Array(0);
    let firsts = new Uint32Array(0);
    for (let p = 0; p < PARTS; p++) {
      let n = 0;
      for (const b of this.blocks) n += b.starts[p + 1]! - b.starts[p]!;
      if (n < 2) continue;
      let size = 16;
      while (size < 2 * n) size *= 2;
      if (firsts.length < size) [hashes, firsts] = [new Float64Array(size), new Uint32Array(size)];
      else firsts.fill(0, 0, size);
      const mask = size - 1;
      // Open addressing: a slot holds a hash and the place + 1 of its first record (0: empty).
      for (const b of this.blocks) {
        for (let at = b.starts[p]!; at < b.starts[p + 1]!; at++) {
          const hash = b.hashes[at]!;
          // The bits above those that chose the partition.
          let slot = (hash >>> 8) & mask;
          for (;;) {
            const first = firsts[slot]!;
            if (first === 0) {
              hashes[slot] = hash;
              firsts[slot] = b.places[at]! + 1;
              break;
            }
            if (hashes[slot] === hash) {
              mark(first - 1);
              mark(b.places[at]!);
              break;
            }
            slot = (slot + 1) & mask;
          }
        }
      }
    }
    return marks;
  }
}
