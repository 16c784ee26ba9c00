// The main thread's half of unique: the finder marks exactly the records whose hash occurs more than
// once, whatever the blocks, and finishUnique counts repeats exactly even when every hash is alike.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finishUnique, RepeatFinder } from '../../../../engine/execution/checks/unique.js';
import type { CheckState } from '../../../../engine/execution/checks/combiners.js';

const marked = (marks: Uint32Array, n: number) => Array.from({ length: n }, (_, g) => (marks[g >>> 5]! & (1 << (g & 31))) !== 0);

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
        expect(marked(finder.repeats(), all.length)).toEqual(all.map((h) => counts.get(h)! > 1));
      }),
      { numRuns: 300 },
    );
  });

  it('finds the repeats of a partition bigger than the cache-sized ones', () => {
    const finder = new RepeatFinder();
    // 200,000 hashes in one partition (their low 8 bits alike), every 1000th one repeated.
    const block = Float64Array.from({ length: 200_000 }, (_, i) => (i % 1000 === 999 ? i - 1 : i) * 256 + 7);
    finder.add(block);
    const marks = marked(finder.repeats(), block.length);
    expect(marks.filter(Boolean).length).toBe(400);
    expect(marks[998] && marks[999] && !marks[997]).toBe(true);
  });
});

describe('finishUnique', () => {
  it('counts exactly when every key shares one hash, its keys in memory', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'dd'), { maxLength: 20 }), { maxLength: 5 }), (chunks) => {
        const blocks = chunks.map((keys, chunk) => {
          const bytes = Buffer.from(keys.join(''), 'latin1');
          const offsets = Uint32Array.from([0, ...keys.map((_, i) => keys.slice(0, i + 1).join('').length)]);
          return {
            chunk,
            hashes: new Float64Array(keys.length).fill(7),
            count: keys.length,
            keys: { bytes: new Uint8Array(bytes), offsets, ats: Uint32Array.from(keys, (_, i) => i) },
          };
        });
        const state: CheckState = { checked: 0, failing: 0, examples: [], blocks };
        const seen = new Set<string>();
        const repeats: Array<[number, number]> = [];
        chunks.forEach((keys, c) => keys.forEach((k, i) => (seen.has(k) ? repeats.push([c, i]) : seen.add(k))));
        expect(finishUnique(state)).toEqual({ failing: repeats.length, examples: repeats.slice(0, 5) });
      }),
    );
  });
});
