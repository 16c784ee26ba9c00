// The finder marks exactly the keys whose hash another key has, each with the first key of its hash, whatever the blocks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RepeatFinder, sortHashes } from '../../../../engine/execution/checks/repeats.js';

/** The groups of all blocks' keys in order (-1: no other key has its hash). */
const flat = (groups: Array<Int32Array | undefined>, blocks: ArrayLike<unknown>[]) => groups.flatMap((g, b) => (g ? [...g] : Array.from(blocks[b]!, () => -1)));

describe('RepeatFinder', () => {
  // Few distinct hashes (many repeats), spread over the partitions and the bits that choose a slot.
  const hash = fc.oneof(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 40 }).map((h) => h * 2 ** 40 + 255),
    fc.integer({ min: 0, max: 2 ** 52 - 1 }),
  );
  const blocks = fc.array(fc.array(hash, { maxLength: 300 }), { maxLength: 6 });

  it('marks the places whose hash another place has, in any blocks', () => {
    fc.assert(
      fc.property(blocks, (bs) => {
        const finder = new RepeatFinder();
        for (const b of bs) finder.add(Float64Array.from(b));
        const all = bs.flat();
        const counts = new Map<number, number>();
        for (const h of all) counts.set(h, (counts.get(h) ?? 0) + 1);
        // Each key whose hash another has is in the group of the first key with its hash.
        const expected = all.map((h) => (counts.get(h)! > 1 ? all.indexOf(h) : -1));
        expect(flat(finder.repeats(), bs)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same groups for blocks sorted by the worker (the first n of a longer buffer) and plain ones', () => {
    fc.assert(
      fc.property(blocks, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (bs, sortedByWorker) => {
        const plain = new RepeatFinder();
        const mixed = new RepeatFinder();
        bs.forEach((b, i) => {
          plain.add(Float64Array.from(b));
          // The worker's buffer is longer than its keys.
          mixed.add(sortedByWorker[i] ? sortHashes(Float64Array.from([...b, 1, 2, 3]), b.length) : Float64Array.from(b));
        });
        expect(flat(mixed.repeats(), bs)).toEqual(flat(plain.repeats(), bs));
      }),
      { numRuns: 200 },
    );
  });

  it('finds the repeats of a partition bigger than the cache-sized ones', () => {
    const finder = new RepeatFinder();
    // 200,000 hashes in one partition (their low 8 bits alike), every 1000th one repeated.
    const block = Float64Array.from({ length: 200_000 }, (_, i) => (i % 1000 === 999 ? i - 1 : i) * 256 + 7);
    finder.add(block);
    const groups = flat(finder.repeats(), [block]);
    expect(groups.filter((g) => g >= 0).length).toBe(400);
    expect(groups.slice(997, 1000)).toEqual([-1, 998, 998]);
  });
});
