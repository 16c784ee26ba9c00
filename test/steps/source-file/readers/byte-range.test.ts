import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { lineNumber, newlinesBefore } from '../../../../steps/source-file/readers/byte-range.js';
import { lineBlocks } from '../../../../steps/source-file/readers/text-blocks.js';
import { caught, tempDir, write } from './helpers.js';

const dir = tempDir();

describe('line numbers', () => {
  it('counts the lines before a range exactly', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i} ✓`).join('\n');
    const file = write(dir, 'numbered.txt', text);
    const size = Buffer.byteLength(text);
    for (const start of [0, 1, 500, 4321, size - 100]) {
      const range = { file, name: 'numbered.txt', start, end: size };
      const first = [...lineBlocks(range)][0]![0]!;
      expect(lineNumber(range, 0)).toBe(Number(/line (\d+)/.exec(first)![1]) + 1);
      expect(lineNumber(range, 5)).toBe(lineNumber(range, 0) + 5);
    }
    expect(newlinesBefore(file, 'x', size)).toBe(999);
  });
});

describe('files that change or vanish', () => {
  it('INPUT_FAILED names a missing file', async () => {
    const err = await caught(() => [...lineBlocks({ file: path.join(dir, 'gone.txt'), name: 'data/gone.txt', start: 0, end: 10 })]);
    expect(err).toBeInstanceOf(FlowError);
    expect(err.code).toBe('INPUT_FAILED');
    expect(err.message).toMatch(/^cannot read data\/gone\.txt: ENOENT/);
    expect(err.record).toEqual({ file: 'data/gone.txt' });
  });

  it('INPUT_FAILED when a file shrank after it was split', async () => {
    const file = write(dir, 'shrink.txt', 'aaaa\nbbbb\ncccc\n');
    truncateSync(file, 6);
    const err = await caught(() => [...lineBlocks({ file, name: 'shrink.txt', start: 5, end: 15 })]);
    expect(err.code).toBe('INPUT_FAILED');
    expect(err.message).toBe('cannot read shrink.txt: the file shrank to 6 bytes while it was read');
    writeFileSync(file, 'aaaa\n');
  });
});
