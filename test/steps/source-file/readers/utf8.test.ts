import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { badUtf8 } from '../../../../steps/source-file/readers/utf8.js';
import fileSource from '../../../../steps/source-file/step.js';
import { caught, runSource, tempDir, write } from './helpers.js';

const dir = tempDir();

describe('invalid UTF-8', () => {
  it('finds the line and the first bad byte that a strict decoder rejects', () => {
    // Mostly valid text with a few random bytes: overlong forms, surrogates, cut sequences.
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => Buffer.from(s)),
      fc.constantFrom('\n', 'a\r\n').map((s) => Buffer.from(s)),
      fc.uint8Array({ minLength: 1, maxLength: 3 }).map((b) => Buffer.from(b)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const buf = Buffer.concat(pieces);
        const bad = badUtf8(buf, 0, buf.length);
        expect(bad === undefined).toBe(isUtf8(buf));
        if (!bad) return;
        const lineEnd = buf.indexOf(10, bad.lineStart) < 0 ? buf.length : buf.indexOf(10, bad.lineStart);
        expect(bad.lineStart === 0 || buf[bad.lineStart - 1] === 10).toBe(true);
        expect(isUtf8(buf.subarray(0, bad.lineStart))).toBe(true); // the lines before are valid
        expect(isUtf8(buf.subarray(bad.lineStart, bad.at))).toBe(true); // so is the line up to the byte
        expect(bad.at).toBeLessThan(lineEnd);
        // Nothing that starts at the byte makes a valid sequence.
        for (let n = 1; n <= 4 && bad.at + n <= lineEnd; n++) expect(isUtf8(buf.subarray(bad.at, bad.at + n))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('is a record error with the line and the column, in every text format', async () => {
    const lines = ['"ok"', '"élan"', '"caf\xe9"'];
    for (const [name, text] of [
      ['latin1.ndjson', lines.join('\n')],
      ['latin1.txt', lines.join('\n')],
      ['latin1.csv', `a\n${lines.join('\n')}`],
      ['latin1.json', `[${lines.join(',\n')}]`],
    ]) {
      write(dir, name!, Buffer.from(Buffer.from(text!, 'latin1').toString('latin1').replace('élan', '\u00c3\u00a9lan'), 'latin1'));
      const err = await caught(() => runSource(fileSource, { path: name! }, { pipelineDir: dir }));
      expect(err.code).toBe('RECORD_PARSE');
      expect(err.record).toEqual({ file: name, line: name!.endsWith('.csv') ? 4 : 3 });
      expect(err.message).toBe('invalid UTF-8 at column 5 (the byte 0xe9)');
    }
  });

  it('in a CSV header too, at line 1', async () => {
    write(dir, 'header.csv', Buffer.from('id,caf\xe9\n1,2\n', 'latin1'));
    const err = await caught(() => runSource(fileSource, { path: 'header.csv' }, { pipelineDir: dir }));
    expect(err.code).toBe('RECORD_PARSE');
    expect(err.record).toEqual({ file: 'header.csv', line: 1 });
    expect(err.message).toBe('invalid UTF-8 at column 7 (the byte 0xe9)');
  });
});
