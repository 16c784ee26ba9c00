import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { glob } from '../../../../steps/source-file/readers/glob.js';
import { tempDir, write } from './helpers.js';

const dir = tempDir();
for (const f of [
  'b.csv',
  'a.csv',
  'a-b.csv',
  'c.ndjson',
  '.hidden.csv',
  'x/1.csv',
  'x/y/2.csv',
  'x/y/z/3.csv',
  'x/.git/4.csv',
  'logs/2024-01.log',
  'logs/2024-02.log',
  'logs/2025-01.log',
  'data[1].csv',
]) {
  write(dir, f, 'v\n');
}
const rel = (pattern: string) => glob(path.join(dir, pattern)).map((f) => path.relative(dir, f));

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
    expect(rel('{x/y/{2,z/3},[ab]}.csv')).toEqual(['a.csv', 'b.csv', 'x/y/2.csv', 'x/y/z/3.csv']);
    expect(rel('logs/2024-0[1-9].log')).toEqual(['logs/2024-01.log', 'logs/2024-02.log']);
    expect(rel('logs/2024-0[!1].log')).toEqual(['logs/2024-02.log']);
  });

  it('takes a brace without a comma, an unclosed class, parentheses, | and ! literally', () => {
    for (const f of ['a{b}c.csv', 'a+(b).csv', 'a(b|c).csv', 'ab.csv', '[x.csv', '!x.csv']) write(dir, `lit/${f}`, 'v\n');
    expect(rel('lit/a{b}*')).toEqual(['lit/a{b}c.csv']);
    expect(rel('lit/a+(b).*')).toEqual(['lit/a+(b).csv']);
    expect(rel('lit/a(b|c).*')).toEqual(['lit/a(b|c).csv']);
    expect(rel('lit/[x*')).toEqual(['lit/[x.csv']);
    expect(rel('lit/!x*')).toEqual(['lit/!x.csv']);
    expect(rel('{lit/!x,lit/a+(b)}.csv')).toEqual(['lit/!x.csv', 'lit/a+(b).csv']);
  });

  it('reads files through symbolic links', () => {
    mkdirSync(path.join(dir, 'linked'), { recursive: true });
    symlinkSync(path.join(dir, 'b.csv'), path.join(dir, 'linked/to-b.csv'));
    expect(rel('linked/*.csv')).toEqual(['linked/to-b.csv']);
  });

  it('matches nothing in a folder that is not there', () => {
    expect(rel('nope/**/*.csv')).toEqual([]);
  });
});
