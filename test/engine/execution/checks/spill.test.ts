// A unique check's spill file: what is written is read back, a few keys one read each or many at once.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readSpill, writeSpill } from '../../../../engine/execution/checks/spill.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-spill-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spill files', () => {
  it('give back the picked keys and every key’s record, however many are picked', () => {
    const keys = fc.array(fc.string({ unit: 'binary-ascii', maxLength: 30 }), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(keys, fc.array(fc.boolean(), { maxLength: 300 }), (texts, picks) => {
        const file = path.join(dir, 'k.keys');
        const bytes = Buffer.from(texts.join(''), 'latin1');
        const offsets = Uint32Array.from([0, ...texts.map((_, i) => texts.slice(0, i + 1).join('').length)]);
        const ats = Uint32Array.from(texts, (_, i) => 3 * i + 1);
        writeSpill(file, offsets, ats, new Uint8Array(bytes));
        const picked = texts.flatMap((_, i) => (picks[i] ? [i] : []));
        const back = readSpill(file, texts.length, picked);
        const text = (k: number) => Buffer.from(back.bytes.subarray(back.starts[2 * k], back.starts[2 * k + 1])).toString('latin1');
        expect(picked.map((_, k) => text(k))).toEqual(picked.map((i) => texts[i]));
        expect(texts.map((_, i) => back.at(i))).toEqual([...ats]);
      }),
      { numRuns: 100 },
    );
  });
});
