import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareInput, removeInput } from '../../../../../engine/cli/commands/test/input.js';

describe('prepareInput', () => {
  it('writes inline text to a temp file of its format, for the file source, and counts its records', async () => {
    const csv = await prepareInput({ kind: 'text', format: 'csv', text: 'a,b\n1,2\n\n3,4\n' });
    const file = (csv.source!.with as { path: string }).path;
    expect(csv.source!.step).toBe('file');
    expect(path.basename(file)).toBe('input.csv');
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n\n3,4\n');
    expect(csv.records).toBe(2);
    await removeInput(csv);
    expect(existsSync(csv.dir!)).toBe(false);
    for (const [format, name] of [
      ['ndjson', 'input.ndjson'],
      ['tsv', 'input.tsv'],
      ['lines', 'input.txt'],
    ] as const) {
      const prepared = await prepareInput({ kind: 'text', format, text: 'x\n' });
      expect(path.basename((prepared.source!.with as { path: string }).path)).toBe(name);
      await removeInput(prepared);
    }
  });

  it('writes records as NDJSON (BigInt exact), and names a file input as it is', async () => {
    const records = await prepareInput({ kind: 'records', records: [{ a: 1n, b: 'x' }, 333332833333500000n, null] });
    expect(readFileSync((records.source!.with as { path: string }).path, 'utf8')).toBe('{"a":1,"b":"x"}\n333332833333500000\nnull\n');
    expect(records.records).toBe(3);
    await removeInput(records);
    expect(await prepareInput({ kind: 'file', file: '/data/x.csv' })).toEqual({ source: { step: 'file', with: { path: '/data/x.csv' } } });
    expect(await prepareInput(undefined)).toEqual({});
  });
});
