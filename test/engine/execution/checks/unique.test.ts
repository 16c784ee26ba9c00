// The main thread's half of unique: finishUnique counts repeats exactly even when every hash is alike.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSpill } from '../../../../engine/execution/checks/spill.js';
import { finishUnique } from '../../../../engine/execution/checks/unique.js';
import type { CheckState } from '../../../../engine/execution/checks/combiners.js';

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

describe('finishUnique over spill files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-unique-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts exactly when different keys share hashes, in memory or read back from files, few or many at a time', () => {
    const keys = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'dd', 'e', 'ffff', 'g', 'h'), { maxLength: 150 }), { maxLength: 5 });
    fc.assert(
      fc.property(keys, fc.integer({ min: 1, max: 5 }), fc.boolean(), (chunks, buckets, spilled) => {
        const blocks = chunks.map((ks, chunk) => {
          const bytes = new Uint8Array(Buffer.from(ks.join(''), 'latin1'));
          const offsets = Uint32Array.from([0, ...ks.map((_, i) => ks.slice(0, i + 1).join('').length)]);
          const ats = Uint32Array.from(ks, (_, i) => 2 * i);
          // Few hash values for eight keys: different keys share them.
          const hashes = Float64Array.from(ks, (k) => (k.charCodeAt(0) % buckets) * 2 ** 40);
          if (!spilled) return { chunk, hashes, count: ks.length, keys: { bytes, offsets, ats } };
          const file = path.join(dir, `${chunk}.keys`);
          writeSpill(file, offsets, ats, bytes);
          return { chunk, hashes, count: ks.length, file };
        });
        const seen = new Set<string>();
        const repeats: Array<[number, number]> = [];
        chunks.forEach((ks, c) => ks.forEach((k, i) => (seen.has(k) ? repeats.push([c, 2 * i]) : seen.add(k))));
        expect(finishUnique({ checked: 0, failing: 0, examples: [], blocks })).toEqual({ failing: repeats.length, examples: repeats.slice(0, 5) });
      }),
      { numRuns: 200 },
    );
  });
});
