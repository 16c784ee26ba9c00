// A unique check's spill file: what is written is read back, a few keys one read each or many at once.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckSpec } from '../../../../engine/contract/plan.js';
import { recordChecks } from '../../../../engine/execution/checks/combiners.js';
import { spillArrived } from '../../../../engine/execution/checks/arrived.js';
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

describe('spillArrived', () => {
  // The queue's coordinator: a chunk's keys sent by a worker of another machine become the file a local worker writes.
  it('writes the keys a chunk sent as the very file a worker with the folder writes, and drops them from the state', () => {
    const checks: CheckSpec[] = [
      { kind: 'not-null', fields: ['a'], name: 'not-null: a', severity: 'error', allow: { count: 0 }, path: 'checks[0]' },
      { kind: 'unique', fields: ['a', 'b'], name: 'unique: a, b', severity: 'error', allow: { count: 0 }, path: 'checks[1]' },
    ];
    const records = Array.from({ length: 500 }, (_, i) => ({ a: `k${i % 37}`, b: i % 11, c: 'x' }));
    const statesOf = (folder?: string) => {
      const chunk = recordChecks(checks, undefined, folder)!(7);
      records.forEach((r, i) => chunk.add(r, i));
      return chunk.states();
    };
    const local = path.join(dir, 'local');
    const coordinator = path.join(dir, 'coordinator');
    mkdirSync(local);
    mkdirSync(coordinator);
    const written = statesOf(local);
    const sent = statesOf(undefined);
    expect(sent[1]!.blocks![0]!.keys).toBeDefined();
    spillArrived(sent, coordinator);
    const block = sent[1]!.blocks![0]!;
    expect(block.keys).toBeUndefined();
    expect(path.basename(block.file!)).toBe(path.basename(written[1]!.blocks![0]!.file!));
    expect(readFileSync(block.file!)).toEqual(readFileSync(written[1]!.blocks![0]!.file!));
    expect({ ...block, file: undefined }).toEqual({ ...written[1]!.blocks![0]!, file: undefined });
  });
});
