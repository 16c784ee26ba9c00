// The main thread's half of `unique`: the chunks' key hashes say which records may repeat a key
// (their hash occurs more than once: repeats.ts); only those keys are read back (from the chunks'
// spill files) and compared byte for byte with the first key of their hash, so two different keys
// that share a hash are never counted. Memory: 12 bytes a checked record (its hash and its place);
// the key bytes, where each starts and its record stay on disk (spill.ts), but for a chunk's file of
// entries, read whole while its keys are compared (about what the worker's columns held for the
// key's fields: each row's entry and each distinct value; one buffer for all the files).
import type { CheckState } from './combiners.js';
import { MAX_EXAMPLES } from './combiners.js';
import { RepeatFinder } from './repeats.js';
import { keysAt, readEntrySpill, readSpill, type SpillBuffer } from './spill.js';

/** The records that repeat an earlier record's key, counted exactly, and the first ones as examples. */
/** `finder`: one that was handed every block's hashes already, in chunk order. */
export function finishUnique(state: CheckState, finder?: RepeatFinder): { failing: number; examples: Array<[number, number]> } {
  const blocks = state.blocks ?? [];
  if (!finder) {
    finder = new RepeatFinder();
    for (const block of blocks) finder.add(block.hashes);
  }
  const groups = finder.repeats();
  let failing = 0;
  const examples: Array<[number, number]> = [];
  // The key of each group's first record (the group: the keys with its hash), and, rarely, other
  // keys with that hash (different bytes): a key repeats one of these or none.
  const firsts = new Map<number, Uint8Array>();
  const others = new Map<number, Uint8Array[]>();
  // One buffer for every entry spill file read back, dropped with this call.
  const buffer: SpillBuffer = { bytes: new Uint8Array(0) };
  let base = 0;
  blocks.forEach((block, b) => {
    const group = groups[b];
    const from = base;
    base += block.count;
    if (!group) return;
    const picked = pickedOf(group);
    const { bytes, starts, at } = block.keys
      ? keysAt(block.keys, picked)
      : block.entries
        ? readEntrySpill(block.file!, picked, buffer)
        : readSpill(block.file!, block.count, picked);
    picked.forEach((i, k) => {
      const key = bytes.subarray(starts[2 * k]!, starts[2 * k + 1]!);
      const first = group[i]!;
      if (first === from + i) return void firsts.set(first, key.slice());
      if (!same(key, firsts.get(first)!)) {
        const other = others.get(first) ?? [];
        others.set(first, other);
        if (!other.some((o) => same(o, key))) return void other.push(key.slice());
      }
      failing++;
      if (examples.length < MAX_EXAMPLES) examples.push([block.chunk, at(i)]);
    });
  });
  return { failing, examples };
}

/** The keys of a block that are in a group, ascending (a function of its own: called for each block, it is soon optimized). */
function pickedOf(group: Int32Array): number[] {
  const picked: number[] = [];
  for (let i = 0; i < group.length; i++) if (group[i]! >= 0) picked.push(i);
  return picked;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
