// Which keys may repeat another: those whose hash another key has (equal keys hash alike). The
// main thread's first look at the chunks' key hashes, before any key bytes are read back.

/** Partitions of the hashes by their low bits: 3M keys make 256 of 12k, each a table that stays in cache. */
const PARTS = 256;

/**
 * A block's hashes ordered by partition (a counting sort), each as two 32-bit halves, with its place
 * in the block. The worker sorts its chunk's own (sortHashes), while they are in its cache, so the
 * main thread only files them (they cross the thread boundary as plain typed arrays).
 */
export interface SortedHashes {
  lows: Uint32Array;
  highs: Uint32Array;
  places: Uint32Array;
  /** Partition p is [starts[p], starts[p + 1]). */
  starts: Uint32Array;
}

/** The first n hashes sorted by partition: two passes over a block that fits in the cache, each hash split into two 32-bit integers. */
export function sortHashes(hashes: Float64Array, n = hashes.length): SortedHashes {
  const starts = new Uint32Array(PARTS + 1);
  const lows = new Uint32Array(n);
  // `>>> 0`: the low 32 bits of the integer (hashes are below 2^52).
  for (let i = 0; i < n; i++) {
    const low = hashes[i]! >>> 0;
    lows[i] = low;
    const p = (low & (PARTS - 1)) + 1;
    starts[p] = starts[p]! + 1;
  }
  for (let p = 0; p < PARTS; p++) starts[p + 1] = starts[p + 1]! + starts[p]!;
  const next = starts.slice(0, PARTS);
  const sorted = { lows: new Uint32Array(n), highs: new Uint32Array(n), places: new Uint32Array(n), starts };
  for (let i = 0; i < n; i++) {
    const low = lows[i]!;
    const p = low & (PARTS - 1);
    const at = next[p]!;
    next[p] = at + 1;
    sorted.lows[at] = low;
    // Exact: the difference is a multiple of 2^32 below 2^52.
    sorted.highs[at] = (hashes[i]! - low) / 4294967296;
    sorted.places[at] = i;
  }
  return sorted;
}

/**
 * Finds the records whose hash another record has: `add` each block's hashes in chunk order (as they
 * come, while the workers read on), sorted by partition (sortHashes, done here for a block of plain
 * hashes), then `repeats`, which runs after the last chunk and finds the repeats of each partition,
 * over every block's share of it, in a table of its own (where one table of every hash would miss
 * the cache on each one); integer work only.
 */
export class RepeatFinder {
  private readonly blocks: Array<SortedHashes & { base: number }> = [];
  private total = 0;

  add(block: Float64Array | SortedHashes): void {
    const { lows, highs, places, starts } = block instanceof Float64Array ? sortHashes(block) : block;
    // A literal of one shape (a spread, or a block that crossed a thread, would not be), read in find's inner loop.
    this.blocks.push({ lows, highs, places, starts, base: this.total });
    this.total += lows.length;
  }

  /**
   * Per block (undefined: none), for each key whose hash another key has: the place (over all
   * blocks, in order) of the first key with that hash; -1 for the others. Once, at the end: the
   * groups are written over the blocks' sorted hashes (memory already touched: a fresh array for
   * each block would cost a page fault every 4 KiB).
   */
  repeats(): Array<Int32Array | undefined> {
    // The marks as they come, partition by partition: block, place, first place.
    let marks = new Uint32Array(3 * 1024);
    let m = 0;
    const mark = (block: number, place: number, first: number) => {
      if (3 * m + 3 > marks.length) {
        const grown = new Uint32Array(2 * marks.length);
        grown.set(marks);
        marks = grown;
      }
      marks[3 * m] = block;
      marks[3 * m + 1] = place;
      marks[3 * m + 2] = first;
      m++;
    };
    let table = new Uint32Array(0);
    for (let p = 0; p < PARTS; p++) {
      let n = 0;
      for (const b of this.blocks) n += b.starts[p + 1]! - b.starts[p]!;
      if (n < 2) continue;
      let size = 16;
      while (size < 2 * n) size *= 2;
      if (table.length < 4 * size) table = new Uint32Array(4 * size);
      else table.fill(0, 0, 4 * size);
      this.find(p, size, table, mark);
    }
    const groups: Array<Int32Array | undefined> = this.blocks.map(() => undefined);
    for (let j = 0; j < m; j++) {
      const b = marks[3 * j]!;
      const { lows, base } = this.blocks[b]!;
      const group = (groups[b] ??= new Int32Array(lows.buffer, lows.byteOffset, lows.length).fill(-1));
      group[marks[3 * j + 1]! - base] = marks[3 * j + 2]!;
    }
    return groups;
  }

  /**
   * The repeats of partition p, by open addressing over `size` slots of four words (one cache line
   * or two a probe): the place + 1 of the slot's first record (0: empty), its hash's halves, and
   * its block + 1, to mark it (once: then 0) when a second one comes.
   */
  private find(p: number, size: number, table: Uint32Array, mark: (block: number, place: number, first: number) => void): void {
    const mask = size - 1;
    for (let k = 0; k < this.blocks.length; k++) {
      const { lows, highs, places, starts, base } = this.blocks[k]!;
      const end = starts[p + 1]!;
      for (let at = starts[p]!; at < end; at++) {
        const low = lows[at]!;
        const high = highs[at]!;
        // The bits above the partition's.
        let slot = (low >>> 8) & mask;
        for (;;) {
          const t = 4 * slot;
          const first = table[t]!;
          if (first === 0) {
            table[t] = base + places[at]! + 1;
            table[t + 1] = low;
            table[t + 2] = high;
            table[t + 3] = k + 1;
            break;
          }
          if (table[t + 1] === low && table[t + 2] === high) {
            if (table[t + 3]! > 0) mark(table[t + 3]! - 1, first - 1, first - 1);
            table[t + 3] = 0;
            mark(k, base + places[at]!, first - 1);
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
    }
  }
}
