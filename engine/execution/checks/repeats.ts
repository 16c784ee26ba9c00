// Which keys may repeat another: those whose hash another key has (equal keys hash alike). The
// main thread's first look at the chunks' key hashes, before any key bytes are read back.

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

  /**
   * Per block (undefined: none), for each key whose hash another key has: the place (over all
   * blocks, in order) of the first key with that hash; -1 for the others.
   */
  repeats(): Array<Int32Array | undefined> {
    const groups: Array<Int32Array | undefined> = this.blocks.map(() => undefined);
    const bases: number[] = [];
    for (let b = 0, base = 0; b < this.blocks.length; base += this.blocks[b]!.hashes.length, b++) bases.push(base);
    const mark = (b: number, place: number, first: number) => {
      const group = (groups[b] ??= new Int32Array(this.blocks[b]!.hashes.length).fill(-1));
      group[place - bases[b]!] = first;
    };
    let hashes = new Float64Array(0);
    let firsts = new Uint32Array(0);
    // The block of the slot's first record; -1 once it is marked.
    let blocks = new Int32Array(0);
    for (let p = 0; p < PARTS; p++) {
      let n = 0;
      for (const b of this.blocks) n += b.starts[p + 1]! - b.starts[p]!;
      if (n < 2) continue;
      let size = 16;
      while (size < 2 * n) size *= 2;
      if (firsts.length < size) [hashes, firsts, blocks] = [new Float64Array(size), new Uint32Array(size), new Int32Array(size)];
      else firsts.fill(0, 0, size);
      const mask = size - 1;
      // Open addressing: a slot holds a hash and the place + 1 of its first record (0: empty), and
      // where that record is, to mark it when a second one comes.
      for (let k = 0; k < this.blocks.length; k++) {
        const b = this.blocks[k]!;
        for (let at = b.starts[p]!; at < b.starts[p + 1]!; at++) {
          const hash = b.hashes[at]!;
          // The bits above those that chose the partition.
          let slot = (hash >>> 8) & mask;
          for (;;) {
            const first = firsts[slot]!;
            if (first === 0) {
              hashes[slot] = hash;
              firsts[slot] = b.places[at]! + 1;
              blocks[slot] = k;
              break;
            }
            if (hashes[slot] === hash) {
              // The first record is marked (once) when a second one comes.
              if (blocks[slot]! >= 0) mark(blocks[slot]!, first - 1, first - 1);
              blocks[slot] = -1;
              mark(k, b.places[at]!, first - 1);
              break;
            }
            slot = (slot + 1) & mask;
          }
        }
      }
    }
    return groups;
  }
}
