import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sniffBinary } from '../../../../steps/source-file/readers/split-file-detection.js';
import fileSource from '../../../../steps/source-file/step.js';
import { caught, runSource, tempDir, write } from './helpers.js';

const dir = tempDir();
const rows = Buffer.from('a,b\n1,2\n3,4\n');

// Real headers where Node makes them (gzip), else the format's documented magic bytes.
const binaries: [string, Buffer, string][] = [
  ['data.csv', gzipSync(gzipSync(rows)), 'a gzip file'],
  ['zipped.csv', gzipSync(Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'), rows])), 'a zip file'],
  ['data.ndjson', Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'), rows]), 'a zip file'],
  ['data.txt', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20]), rows]), 'a zstd file'],
  ['data.tsv', Buffer.concat([Buffer.from('BZh91AY&SY', 'latin1'), rows]), 'a bzip2 file'],
  ['data.json', Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), rows]), 'an xz file'],
  ['data.log', Buffer.concat([Buffer.from('PAR1'), rows, Buffer.from('PAR1')]), 'a Parquet file'],
  ['utf16.csv', Buffer.from('\ufeffa,b\n1,2\n', 'utf16le'), 'UTF-16 text'],
  ['nul.ndjson', Buffer.from('{"a":1}\n{"a":\u00002}\n'), 'a binary file (a NUL byte at offset 13)'],
];

describe('binary or compressed input read as text', () => {
  for (const [name, bytes, what] of binaries) {
    it(`${name}: refused at split as ${what}`, async () => {
      write(dir, name, bytes);
      const err = await caught(() => runSource(fileSource, { path: name }, { pipelineDir: dir }));
      expect(err.code).toBe('INPUT_NOT_TEXT');
      expect(err.exitCode).toBe(2);
      expect(err.message).toMatch(new RegExp(`^${name.replace('.', '\\.')} looks like ${what.replace(/[()]/g, '\\$&')}; `));
      expect(err.record).toEqual({ file: name });
    });
  }

  it('reads gzip; names what other compressed input is, inside gzip or not', async () => {
    write(dir, 'logs.csv', gzipSync(rows));
    expect((await runSource(fileSource, { path: 'logs.csv' }, { pipelineDir: dir })).records).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
    write(dir, 'logs.tsv', Buffer.concat([Buffer.from('BZh91AY&SY', 'latin1'), rows]));
    const err = await caught(() => runSource(fileSource, { path: 'logs.tsv' }, { pipelineDir: dir }));
    expect(err.message).toBe('logs.tsv looks like a bzip2 file; only gzip is read among compressed formats (it was to be read as tsv)');
    expect(err.hint).toBe('decompress it first, or recompress it with gzip');
  });

  it('text that merely starts like a magic number is read', async () => {
    const texts: [string, string][] = [
      ['par.txt', 'PAR1 of the report\nsecond line\n'],
      ['bz.txt', 'BZh is not bzip2\n'],
      ['pk.txt', 'PK and more\n'],
      ['empty.ndjson', ''],
      ['accents.csv', 'name\nélan\n'],
    ];
    for (const [name, text] of texts) {
      write(dir, name, text);
      expect(sniffBinary(`${dir}/${name}`, name)).toBeUndefined();
    }
    expect((await runSource(fileSource, { path: 'par.txt' }, { pipelineDir: dir })).records).toEqual(['PAR1 of the report', 'second line']);
  });

  it('a NUL byte past the first 64 KiB is not looked for', () => {
    write(dir, 'late.txt', Buffer.concat([Buffer.alloc(70_000, 'a'), Buffer.from([0])]));
    expect(sniffBinary(`${dir}/late.txt`, 'late.txt')).toBeUndefined();
  });
});
