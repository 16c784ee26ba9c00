import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunkBytes } from '../../../steps/source-file/readers/split-file.js';
import fileSource from '../../../steps/source-file/step.js';
import { caught, runSource, tempDir, vegaData, write } from './readers/helpers.js';
import { checkDefinition, validator } from './readers/step-definition.js';

const dir = tempDir();
const run = (options: object, chunking = {}) => runSource(fileSource, options, { pipelineDir: dir, chunking });

describe('the file step', () => {
  it('is a described source step whose examples validate', () => {
    checkDefinition(fileSource, 'file');
    const valid = validator(fileSource);
    expect(valid({ path: 'a.csv', csv: { delimiter: ';;' } })).toBe(false);
    expect(valid({ path: 'a.csv', format: 'xml' })).toBe(false);
    const withDefaults = { path: 'a.csv', csv: {} };
    expect(valid(withDefaults)).toBe(true);
    expect(withDefaults).toEqual({ path: 'a.csv', csv: { header: true, infer: true } });
  });

  it('infers the format from the extension', async () => {
    write(dir, 'fmt/a.ndjson', '{"x":1}\n');
    write(dir, 'fmt/b.jsonl', '{"x":2}\n');
    write(dir, 'fmt/c.csv', 'x\n3\n');
    write(dir, 'fmt/d.tsv', 'x\ty\n4\ta,b\n');
    write(dir, 'fmt/e.txt', 'five\n');
    write(dir, 'fmt/f.LOG', 'six\r\n');
    write(dir, 'fmt/g.json', '[{"x":7}]');
    const { records } = await run({ path: 'fmt/*' });
    expect(records).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4, y: 'a,b' }, 'five', 'six', { x: 7 }]);
  });

  it('an explicit format wins over the extension', async () => {
    write(dir, 'explicit.dat', '1;2\n');
    expect((await run({ path: 'explicit.dat', format: 'csv', csv: { header: false, delimiter: ';' } })).records).toEqual([[1, 2]]);
    expect((await run({ path: 'explicit.dat', format: 'lines' })).records).toEqual(['1;2']);
  });

  it('an unknown extension without format is an error on the format option', async () => {
    write(dir, 'unknown.dat', 'x\n');
    const err = await caught(() => run({ path: 'unknown.dat' }));
    expect(err.toJSON()).toEqual({
      code: 'INVALID_VALUE',
      message: 'cannot tell the format of unknown.dat from its extension',
      path: 'format',
      hint: 'set format: ndjson, csv, tsv, lines, json or parquet',
    });
  });

  it('NO_INPUT_MATCH for a missing file or a glob that matches nothing', async () => {
    for (const [p, message] of [
      ['missing.ndjson', 'no such file: missing.ndjson'],
      ['nothing/**/*.csv', 'no file matches nothing/**/*.csv'],
    ]) {
      const err = await caught(() => run({ path: p }));
      expect(err.toJSON()).toEqual({ code: 'NO_INPUT_MATCH', message, path: 'path', hint: "paths are relative to the pipeline file's folder" });
    }
  });

  it('check() reports a path that matches nothing at validation time', () => {
    expect(fileSource.check!({ path: 'nothing/*.csv' }, { pipelineDir: dir })).toEqual([
      { path: 'path', code: 'NO_INPUT_MATCH', message: 'no file matches nothing/*.csv', hint: "paths are relative to the pipeline file's folder" },
    ]);
    write(dir, 'present.ndjson', '1\n');
    expect(fileSource.check!({ path: 'present.ndjson' }, { pipelineDir: dir })).toEqual([]);
  });

  it('NO_INPUT_MATCH for a folder says so', async () => {
    write(dir, 'folder/x.ndjson', '1\n');
    const err = await caught(() => run({ path: 'folder' }));
    expect(err.toJSON()).toEqual({
      code: 'NO_INPUT_MATCH',
      message: 'folder is a folder, not a file',
      path: 'path',
      hint: 'to read the files in it, use a glob such as folder/*.ndjson',
    });
  });

  describe('a path that exists but is not a regular file', () => {
    const hint = 'the file source reads regular files, FIFOs and standard input (path: "-"): pipe it in, or save it to a file first';
    const refused = (message: string) => ({ code: 'NO_INPUT_MATCH', message, path: 'path', hint });

    it('reads a FIFO as a stream, gzipped or not, lines located', async () => {
      mkdirSync(path.join(dir, 'streams'), { recursive: true });
      for (const [name, bytes] of [
        ['in.ndjson', Buffer.from('{"a":1}\n\n{"a":2}\n')],
        ['in.csv', gzipSync('a,b\n1,x\n2,y\n')],
      ] as const) {
        const fifo = path.join(dir, 'streams', name);
        rmSync(fifo, { force: true });
        execFileSync('mkfifo', [fifo]);
        expect(fileSource.check!({ path: `streams/${name}` }, { pipelineDir: dir })).toEqual([]);
        const writer = spawn('sh', ['-c', `cat > '${fifo}'`], { stdio: ['pipe', 'ignore', 'inherit'] });
        writer.stdin.end(bytes);
        const { records, chunks } = await run({ path: `streams/${name}` });
        expect(records).toEqual(
          name.endsWith('csv')
            ? [
                { a: 1, b: 'x' },
                { a: 2, b: 'y' },
              ]
            : [{ a: 1 }, { a: 2 }],
        );
        expect(chunks.map((c) => (c.data as { line: number }).line)).toEqual([name.endsWith('csv') ? 2 : 1]);
      }
    });

    it('refuses a character device, also reached through a link a glob matches', async () => {
      expect((await caught(() => run({ path: '/dev/null', format: 'lines' }))).toJSON()).toEqual(
        refused('/dev/null is a character device, not a regular file'),
      );
      write(dir, 'devices/a.ndjson', '{"a":1}\n');
      rmSync(path.join(dir, 'devices/b.ndjson'), { force: true });
      symlinkSync('/dev/zero', path.join(dir, 'devices/b.ndjson'));
      expect((await caught(() => run({ path: 'devices/*.ndjson' }))).toJSON()).toEqual(refused('devices/b.ndjson is a character device, not a regular file'));
    });

    it('standard input by "-" needs a format', async () => {
      expect((await caught(() => run({ path: '-' }))).toJSON()).toMatchObject({ code: 'INVALID_VALUE', message: 'path "-" (standard input) needs a format' });
      const stdin = statSync('/dev/stdin', { throwIfNoEntry: false });
      if (stdin?.isCharacterDevice()) {
        const err = await caught(() => run({ path: '/dev/stdin', format: 'lines' }));
        expect(err.message).toMatch(/^\/dev\/stdin is a character device, standard input here, not a regular file$/);
      }
    });
  });

  it('reads glob matches in name order, each file cut into chunks', async () => {
    for (const day of ['03', '01', '02']) {
      write(dir, `logs/2024-${day}/events.ndjson`, Array.from({ length: 50 }, (_, i) => JSON.stringify({ day, i })).join('\n'));
    }
    const { records, chunks, total } = await run({ path: 'logs/**/*.ndjson' }, { bytes: 300 });
    expect(records.map((r: any) => `${r.day}:${r.i}`)).toEqual(['01', '02', '03'].flatMap((d) => Array.from({ length: 50 }, (_, i) => `${d}:${i}`)));
    expect(new Set(chunks.map((c) => (c.data as any).name))).toEqual(
      new Set(['logs/2024-01/events.ndjson', 'logs/2024-02/events.ndjson', 'logs/2024-03/events.ndjson']),
    );
    expect(total).toEqual({ bytes: chunks.reduce((n, c) => n + c.bytes!, 0), chunks: chunks.length });
  });

  it('INPUT_FAILED names a file that disappears between split and read', async () => {
    for (const name of ['vanish.ndjson', 'vanish.json']) {
      write(dir, name, name.endsWith('.json') ? '[1,2]' : '1\n2\n');
      const plan = await fileSource.split({ path: name }, { pipelineDir: dir, chunking: {}, workers: 1, hints: {} });
      const [chunk] = [...(plan.chunks as Iterable<any>)];
      rmSync(path.join(dir, name));
      const err = await caught(() => [...fileSource.read({ index: 0, ...chunk }, undefined)]);
      expect(err.toJSON()).toEqual({
        code: 'INPUT_FAILED',
        message: expect.stringMatching(new RegExp(`^cannot read ${name}: ENOENT`)),
        record: { file: name },
        hint: 'the file was removed, truncated or made unreadable while the pipeline ran',
      });
    }
  });

  it('a literal file name with glob characters is read as itself', async () => {
    write(dir, 'odd[1].txt', 'literal\n');
    expect((await run({ path: 'odd[1].txt' })).records).toEqual(['literal']);
  });

  it('chunking.records is honoured approximately, from the mean line length', async () => {
    write(dir, 'even.ndjson', Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ i: i % 10 })).join('\n') + '\n');
    const { chunks, records } = await run({ path: 'even.ndjson' }, { records: 1000 });
    expect(chunks.length).toBeGreaterThanOrEqual(9);
    expect(chunks.length).toBeLessThanOrEqual(11);
    expect(records).toHaveLength(10_000);
  });

  it('by default feeds every worker: a 10 MB file makes several chunks of 1 to 8 MiB', async () => {
    const plan = await fileSource.split({ path: vegaData('flights-200k.json') }, { pipelineDir: dir, chunking: {}, workers: 2, hints: {} });
    const chunks = [...(plan.chunks as Iterable<any>)];
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...chunks.map((c) => c.bytes))).toBeLessThanOrEqual(8 * 2 ** 20 + 100);
  });

  it('cuts bigger chunks, about eight per worker up to 32 MiB, when the workers reduce the records', async () => {
    write(dir, 'big/lines.ndjson', `${JSON.stringify({ pad: 'x'.repeat(1000) })}\n`.repeat(60_000)); // 60 MB
    const cut = async (reduced: boolean, workers = 2) => {
      const plan = await fileSource.split({ path: 'big/lines.ndjson' }, { pipelineDir: dir, chunking: {}, workers, hints: { reduced } });
      return [...(plan.chunks as Iterable<{ bytes: number }>)].map((c) => c.bytes);
    };
    const mapped = await cut(false);
    expect(mapped.length).toBe(8); // records come back: a quarter of the input per worker
    const reduced = await cut(true);
    expect(reduced.length).toBe(16); // an eighth per worker
    expect(reduced.reduce((a, b) => a + b, 0)).toBe(mapped.reduce((a, b) => a + b, 0));
    // The caps, for a 1 GiB input: 8 MiB when records come back, 32 MiB when they are reduced.
    expect(chunkBytes({}, 2, 2 ** 30)).toBe(8 * 2 ** 20);
    expect(chunkBytes({}, 2, 2 ** 30, undefined, 0, true)).toBe(32 * 2 ** 20);
  });

  it('locate() names the file and line of the k-th record of a chunk', async () => {
    write(dir, 'notes.txt', 'one\ntwo\n\nfour\nfive\n');
    const { chunks } = await run({ path: 'notes.txt' }, { bytes: 9 });
    expect(chunks.map((c) => [...fileSource.read(c, undefined)])).toEqual([['one', 'two', ''], ['four', 'five'], []]); // the last range starts inside 'five': no line
    expect(await fileSource.locate!(chunks[1]!, 1, { path: 'notes.txt' })).toEqual({ file: 'notes.txt', line: 5 });
    write(dir, 'loc.csv', 'a,b\n1,2\n3,4\n');
    const csv = await run({ path: 'loc.csv' }, { bytes: 4 });
    expect(await fileSource.locate!(csv.chunks[1]!, 0, { path: 'loc.csv' })).toEqual({ file: 'loc.csv', line: 3 });
  });

  it('names files outside the pipeline folder by their absolute path', async () => {
    const file = vegaData('unemployment.tsv');
    const { chunks, records } = await run({ path: path.relative(dir, file) });
    expect((chunks[0]!.data as any).name).toBe(file);
    expect(records[0]).toEqual({ id: 1001, rate: 0.097 });
    expect(records).toHaveLength(3218);
  });

  it("carries the pipeline's fields into NDJSON and headed CSV chunks only", async () => {
    write(dir, 'proj/a.ndjson', '{"x":1,"y":2}\n');
    write(dir, 'proj/b.csv', 'x,y\n3,4\n');
    write(dir, 'proj/c.txt', 'five\n');
    write(dir, 'proj/d.json', '[{"x":6,"y":7}]');
    write(dir, 'proj/e.csv', '8,9\n');
    const fieldsOf = async (path: string, options: object = {}) => {
      const { chunks, records } = await runSource(fileSource, { path, ...options }, { pipelineDir: dir, fields: ['y'] });
      return { fields: chunks.map((c) => (c.data as { fields?: string[] }).fields), records };
    };
    expect(await fieldsOf('proj/a.ndjson')).toEqual({ fields: [['y']], records: [{ y: 2 }] });
    expect(await fieldsOf('proj/b.csv')).toEqual({ fields: [['y']], records: [{ y: 4 }] });
    expect(await fieldsOf('proj/c.txt')).toEqual({ fields: [undefined], records: ['five'] });
    expect(await fieldsOf('proj/d.json')).toEqual({ fields: [undefined], records: [{ x: 6, y: 7 }] });
    expect(await fieldsOf('proj/e.csv', { csv: { header: false } })).toEqual({ fields: [undefined], records: [[8, 9]] });
  });

  it('a projected NDJSON read gives the picked records and names a bad line as the full read does', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, s: 'é'.repeat(i % 5), n: { deep: i }, d: i % 7 === 0 ? -0 : i / 3 }));
    lines.splice(1000, 0, '', ' \t');
    write(dir, 'proj/good.ndjson', lines.join('\r\n'));
    const full = await runSource(fileSource, { path: 'proj/good.ndjson' }, { pipelineDir: dir, chunking: { bytes: 5000 } });
    const projected = await runSource(fileSource, { path: 'proj/good.ndjson' }, { pipelineDir: dir, chunking: { bytes: 5000 }, fields: ['d', 'n', 'i'] });
    expect(projected.chunks.length).toBeGreaterThan(10);
    expect(projected.records).toStrictEqual(full.records.map((r: any) => ({ d: r.d, n: r.n, i: r.i })));
    lines[2345] = '{"i":1,"d":2,}';
    write(dir, 'proj/bad.ndjson', lines.join('\n'));
    const error = async (fields?: string[]) =>
      (
        await caught(() => runSource(fileSource, { path: 'proj/bad.ndjson' }, { pipelineDir: dir, chunking: { bytes: 5000 }, ...(fields ? { fields } : {}) }))
      ).toJSON();
    expect(await error(['d'])).toEqual(await error());
    expect(await error(['d'])).toMatchObject({ code: 'RECORD_PARSE', record: { file: 'proj/bad.ndjson', line: 2346 } });
  });
});
