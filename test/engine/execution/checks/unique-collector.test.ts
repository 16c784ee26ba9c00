// A worker's unique keys: a chunk read as columns keeps its keys as dictionary entries (and spills
// them so); whatever the mix of batches and records in a chunk, the hashes, the key bytes read back
// and the verdict are those of the same rows added as records.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column, ColumnBatch } from '../../../../engine/contract/step.js';
import { UniqueCollector, type UniqueBlock } from '../../../../engine/execution/checks/unique-collector.js';
import { finishUnique } from '../../../../engine/execution/checks/unique.js';
import { keysAt, readEntrySpill, readSpill } from '../../../../engine/execution/checks/spill.js';
import { columnRecords } from '../../../../engine/testing/run-step.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-unique-collector-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Equal values in different entries (a dictionary of tokens may hold 1 and 1.0 apart), nulls, -0.
const value = fc.constantFrom<unknown>(null, undefined, 0, -0, 1, 2.5, 'a', 'b', '1', 'long'.repeat(40), 'é', '☃', true, false);
const dictionary = fc.array(value, { minLength: 1, maxLength: 6 });

function batchOf(dictionaries: unknown[][], picks: number[][], rows: number): ColumnBatch {
  const columns = new Map<string, Column>();
  ['a', 'b', 'c'].forEach((name, c) => {
    const d = dictionaries[c]!;
    columns.set(name, { dictionary: d, indices: Int32Array.from({ length: rows }, (_, r) => picks[c]![r % picks[c]!.length]! % d.length) });
  });
  return { rows, columns };
}

/** A chunk's parts: a batch, or records (the rows of a batch added one by one). */
const part = fc.record({
  asBatch: fc.boolean(),
  dictionaries: fc.array(dictionary, { minLength: 3, maxLength: 3 }),
  picks: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 9 }), { minLength: 3, maxLength: 3 }),
  rows: fc.integer({ min: 0, max: 30 }),
});
const chunks = fc.array(fc.array(part, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });

function keysOf(block: UniqueBlock): string[] {
  const picked = Array.from({ length: block.count }, (_, i) => i);
  const back = block.keys ? keysAt(block.keys, picked) : block.entries ? readEntrySpill(block.file!, picked) : readSpill(block.file!, block.count, picked);
  return picked.map((_, k) => `${back.at(picked[k]!)}:${Buffer.from(back.bytes.subarray(back.starts[2 * k], back.starts[2 * k + 1])).toString('latin1')}`);
}

describe('UniqueCollector', () => {
  it('gives a chunk of batches and records the hashes, keys and verdict of its rows added as records, spilled or not', () => {
    let run = 0;
    fc.assert(
      fc.property(chunks, fc.constantFrom(['a', 'b', 'c'], ['c'], ['b', 'a']), fc.boolean(), (parts, fields, spilled) => {
        const folder = spilled ? mkdtempSync(path.join(dir, `${run++}-`)) : undefined;
        const viaBatches = new UniqueCollector(fields);
        const viaRecords = new UniqueCollector(fields);
        const blocks = parts.map((chunk, c) => {
          viaBatches.reset();
          viaRecords.reset();
          let at = 0;
          for (const p of chunk) {
            const batch = batchOf(p.dictionaries, p.picks, p.rows);
            const records = columnRecords(batch);
            // A batch's rows are at 0, 1, ...: as in a chunk read as columns, a batch comes first.
            if (p.asBatch && at === 0) expect(viaBatches.addBatch(batch)).toBe(true);
            else records.forEach((r, i) => viaBatches.add(r, at + i));
            records.forEach((r, i) => viaRecords.add(r, at + i));
            at += records.length;
          }
          const mine = viaBatches.block(c, folder, 0);
          const theirs = viaRecords.block(c);
          expect(mine.count).toBe(theirs.count);
          expect(mine.hashes).toEqual(theirs.hashes);
          expect(keysOf(mine)).toEqual(keysOf(theirs));
          return { mine, theirs };
        });
        const state = (which: 'mine' | 'theirs') => ({ checked: 0, failing: 0, examples: [], blocks: blocks.map((b) => b[which]) });
        expect(finishUnique(state('mine'))).toEqual(finishUnique(state('theirs')));
      }),
      { numRuns: 300 },
    );
  });

  it('spills a batch as its entries, not its keys’ bytes', () => {
    const rows = 1000;
    const batch = batchOf([['2001-01-01 00:01:00', '2001-01-01 00:02:00'], ['LAS', 'ATL', 'MCI'], ['PHL']], [[0, 1], [0, 1, 2], [0]], rows);
    const collector = new UniqueCollector(['a', 'b', 'c']);
    collector.addBatch(batch);
    const block = collector.block(0, dir, 9);
    expect(block.entries).toBe(true);
    expect(finishUnique({ checked: 0, failing: 0, examples: [], blocks: [block] })).toEqual({
      failing: rows - 6,
      examples: [6, 7, 8, 9, 10].map((at) => [0, at]),
    });
  });
});
