import fc from 'fast-check';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLOCK } from '../../../../steps/source-file/readers/byte-range.js';
import { lineBlocks, textBlocks } from '../../../../steps/source-file/readers/text-blocks.js';
import { tempDir, write } from './helpers.js';

const dir = tempDir();

/** The lines of a whole text, the straightforward way. */
function straight(text: string): string[] {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** All lines of a file read as ranges of `size` bytes, concatenated. */
function byRanges(file: string, size: number): string[] {
  const total = statSync(file).size;
  const out: string[] = [];
  for (let start = 0; start < total; start += size) {
    for (const block of lineBlocks({ file, name: 'f', start, end: Math.min(total, start + size) })) out.push(...block);
  }
  return out;
}

const line = fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ''));

describe('lineBlocks over byte ranges', () => {
  it('gives the lines of a straight read whatever the range size (multi-byte UTF-8, \\r\\n, blanks)', () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 200 }),
        (lines, trailing, size) => {
          let text = lines.map(([l, eol]) => l + eol).join('');
          if (!trailing && text.endsWith('\n')) text = text.replace(/\r?\n$/, '');
          const file = write(dir, `lines-${n++}.txt`, text);
          expect(byRanges(file, size)).toEqual(straight(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits multi-byte characters at every awkward offset', () => {
    const text = 'añb\n日本語\n🎉x🎉\n\r\nÿ\nend without newline 😀';
    const file = write(dir, 'utf8.txt', text);
    for (let size = 1; size <= Buffer.byteLength(text) + 1; size++) expect(byRanges(file, size)).toEqual(straight(text));
  });

  it('reads nothing from an empty file, and drops a byte-order mark', () => {
    expect(byRanges(write(dir, 'empty.txt', ''), 5)).toEqual([]);
    expect(byRanges(write(dir, 'bom.txt', '\uFEFFa\nb\n'), 1)).toEqual(['a', 'b']);
    expect(byRanges(write(dir, 'only-newline.txt', '\n'), 1)).toEqual(['']);
  });

  it('textBlocks in pieces of at most `most` bytes (or one longer line) give the same lines', () => {
    let n = 0;
    const lines = (file: string, start: number, end: number, most?: number) => {
      const texts = [...textBlocks({ file, name: 'f', start, end }, most)];
      if (most !== undefined) for (const t of texts) if (Buffer.byteLength(t) > most) expect(t).not.toContain('\n');
      return texts.flatMap((t) => t.split('\n'));
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\n\n')), { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(100),
        (parts, trailing, most, cut) => {
          let text = parts.map(([l, eol]) => l + eol).join('');
          if (!trailing) text = text.replace(/\r?\n$/, '');
          const file = write(dir, `pieces-${n++}.txt`, text);
          const size = Buffer.byteLength(text);
          const mid = Math.min(size, cut);
          for (const [start, end] of [
            [0, size],
            [0, mid],
            [mid, size],
          ] as const)
            expect(lines(file, start, end, most)).toEqual(lines(file, start, end));
        },
      ),
      { numRuns: 300 },
    );
    const long = `${'a'.repeat(BLOCK + 5)}\n${'b,'.repeat(40_000)}\nc\n`;
    const file = write(dir, 'pieces-long.txt', long);
    expect(lines(file, 0, long.length, 64 * 1024)).toEqual(lines(file, 0, long.length));
  });

  it('grows its buffer for a line longer than a block', () => {
    const long = 'x'.repeat(BLOCK * 2 + 17);
    const file = write(dir, 'long.txt', `a\n${long}\nb`);
    expect(byRanges(file, BLOCK).map((l) => l.length)).toEqual([1, long.length, 1]);
    expect(byRanges(file, 3 * BLOCK)).toEqual(['a', long, 'b']);
  });
});
