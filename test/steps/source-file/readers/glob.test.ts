import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandBraces, glob, segmentRegExp } from '../../../../steps/source-file/readers/glob.js';
import { tempDir, write } from './helpers.js';

const dir = tempDir();
for (const f of ['b.csv', 'a.csv', 'a-b.csv', 'c.ndjson', '.hidden.csv', 'x/1.csv', 'x/y/2.csv', 'x/y/z/3.csv', 'x/.git/4.csv', 'logs/2024-01.log', 'logs/2024-02.log', 'logs/2025-01.log', 'data[1].csv']) {
  write(dir, f, 'v\n');
}
const rel = (pattern: string) => glob(path.join(dir, pattern)).map((f) => path.relative(dir, f));

describe('expandBraces', () => {
  it('expands nested alternatives and leaves a lone brace alone', () => {
    expect(expandBraces('a{b,c{d,e}}f')).toEqual(['abf', 'acdf', 'acef']);
    expect(expandBraces('{x,y}/{1,2}')).toEqual(['x/1', 'x/2', 'y/1', 'y/2']);
    expect(expandBraces('a{b}c')).toEqual(['a{b}c']);
  });
});

describe('segmentRegExp', () => {
  it('translates *, ?, classes and escapes the rest', () => {
    expect(segmentRegExp('*.csv').test('a.csv')).toBe(true);
    expect(segmentRegExp('*.csv').test('acsv')).toBe(false);
    expect(segmentRegExp('?.csv').test('ab.csv')).toBe(false);
    expect(segmentRegExp('[ab].csv').test('b.csv')).toBe(true);
    expect(segmentRegExp('[!ab].csv').test('b.csv')).toBe(false);
    expect(segmentRegExp('2024-0[1-9].log').test('2024-02.log')).toBe(true);
    expect(segmentRegExp('a+(b).csv').test('a+(b).csv')).toBe(true);
  });
});

describe('glob', () => {
  it('matches in name order, skipping dotfiles', () => {
    expect(rel('*.csv')).toEqual(['a-b.csv', 'a.csv', 'b.csv', 'data[1].csv']);
    expect(rel('.*.csv')).toEqual(['.hidden.csv']);
  });

  it('** spans any depth of folders, zero included, but not hidden folders', () => {
    expect(rel('x/**/*.csv')).toEqual(['x/1.csv', 'x/y/2.csv', 'x/y/z/3.csv']);
    expect(rel('**/2.csv')).toEqual(['x/y/2.csv']);
  });

  it('braces and classes across folders, without duplicates', () => {
    expect(rel('{logs/2024-*,logs/*-01}.log')).toEqual(['logs/2024-01.log', 'logs/2024-02.log', 'logs/2025-01.log']);
    expect(rel('{a,b,c}.{csv,ndjson}')).toEqual(['a.csv', 'b.csv', 'c.ndjson']);
    expect(rel('x/?/[0-9].csv')).toEqual(['x/y/2.csv']);
  });

  it('matches nothing in a folder that is not there', () => {
    expect(rel('nope/**/*.csv')).toEqual([]);
  });
});
