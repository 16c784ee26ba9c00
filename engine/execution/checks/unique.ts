// The main thread's half of `unique`: the chunks' key hashes, sorted, say which hashes repeat; only
// the records with such a hash are looked at again, by their exact key (recheck), so a collision of
// two different keys is never counted. Memory: the hashes and places the workers sent (12 bytes a
// checked record) and one sorted copy of the hashes (8 bytes a record, while finishing); plus, only
// when hashes repeat, one key text per repeated key.
import type { CheckState } from './combiners.js';
import { MAX_EXAMPLES } from './combiners.js';

/** The exact keys (and places among the records read) of the records at `seqs` (ascending) of a chunk. */
export type Recheck = (chunk: number, seqs: Uint32Array) => Promise<Array<{ key: string; at: number }>>;

/** The records that repeat an earlier record's key, counted exactly, and the first ones as examples. */
export async function finishUnique(state: CheckState, recheck: Recheck): Promise<{ failing: number; examples: Array<[number, number]> }> {
  const blocks = state.blocks ?? [];
  const repeated = repeatedHashes(blocks.map((b) => b.hashes));
  let failing = 0;
  const examples: Array<[number, number]> = [];
  if (repeated.size === 0) return { failing, examples };
  const first = new Map<number, string>();
  // Keys whose hash is another key's too (a true collision): rare, so a plain set.
  const others = new Set<string>();
  for (const block of blocks) {
    const at: number[] = [];
    const hashes: number[] = [];
    for (let i = 0; i < block.hashes.length; i++) {
      if (!repeated.has(block.hashes[i]!)) continue;
      at.push(block.seqs[i]!);
      hashes.push(block.hashes[i]!);
    }
    if (at.length === 0) continue;
    const keys = await recheck(block.chunk, Uint32Array.from(at));
    keys.forEach(({ key, at: place }, i) => {
      const hash = hashes[i]!;
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
      if (examples.length < MAX_EXAMPLES) examples.push([block.chunk, place]);
    });
  }
  return { failing, examples };
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
