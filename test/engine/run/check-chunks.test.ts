// Which chunks the data checks keep to locate examples after the run (run/check-chunks.ts).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkChunks } from '../../../engine/run/check-chunks.js';
import type { CheckState } from '../../../engine/execution/checks/combiners.js';
import type { Chunk } from '../../../engine/contract/step.js';
import { streamChunk } from '../../helpers/stream-chunk.js';

const spill = mkdtempSync(path.join(os.tmpdir(), 'flow-check-chunks-'));
afterAll(() => rmSync(spill, { recursive: true, force: true }));

const streamed = (index: number, text: string): Chunk => streamChunk(index, text, 10 * index + 1);
const state = (examples: Array<[number, number]>): CheckState => ({ checked: 10, failing: examples.length, examples });
const bytesOf = (chunk: Chunk | undefined) => Buffer.from((chunk!.data as { bytes: ArrayBuffer }).bytes).toString('latin1');

describe('checkChunks', () => {
  it('keeps a file range as it is', () => {
    const chunks = checkChunks(undefined);
    const range: Chunk = { index: 0, data: { format: 'ndjson', file: '/x', name: 'x', start: 0, end: 100 } };
    chunks.keep(range, [state([])]);
    expect(chunks.get(0)).toBe(range);
  });

  it("keeps a stream's chunk only when one of its records is already an example", () => {
    const chunks = checkChunks(undefined);
    chunks.keep(streamed(0, '{"a":1}\n'), [state([])]);
    chunks.keep(streamed(1, '{"a":2}\n'), [state([[1, 0]])]);
    expect(chunks.get(0)).toBeUndefined();
    expect(bytesOf(chunks.get(1))).toBe('{"a":2}\n');
  });

  it("with a unique check, puts a stream chunk's bytes in the spill folder and reads them back", () => {
    const chunks = checkChunks(spill);
    chunks.keep(streamed(3, '{"a":3}\n{"a":4}\n'), [state([])]);
    expect(readdirSync(spill)).toEqual(['chunk-3.bytes']);
    const back = chunks.get(3)!;
    expect(bytesOf(back)).toBe('{"a":3}\n{"a":4}\n');
    expect(back.data).toMatchObject({ line: 31, name: '<stdin>' });
    expect(existsSync(path.join(spill, 'chunk-3.bytes'))).toBe(true);
  });
});
