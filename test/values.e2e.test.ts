// Exact and honest values through the real CLI (issue 9.5, 9.6): integers past 2^53 summed and
// printed exactly, a number beyond a double and invalid UTF-8 as record errors with their file:line,
// a gzip file read by its magic bytes and a bzip2 one refused before it is parsed, and the exact line of a bad record in a
// file of many read blocks. Each case runs projected and not, in-process and on threads.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlow } from './helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pipeline file in `dir` reading `data` and reducing with `reduce` (YAML flow text). */
function pipeline(name: string, data: string, reduce: string): string {
  writeFileSync(path.join(dir, `${name}.yaml`), `source: { step: file, with: { path: ${data} } }\nreduce: ${reduce}\n`);
  return `${name}.yaml`;
}

// Projected or not, in-process or on threads: every road a record takes.
const roads: [string, Record<string, string>][] = [
  ['projected, in-process', {}],
  ['whole records, on threads', { FLOW_NO_PROJECTION: '1', FLOW_NO_IN_PROCESS: '1' }],
];

describe.each(roads)('values (%s)', (_road, env) => {
  const run = (file: string) => runFlow(['run', file, '--quiet'], { cwd: dir, env });

  it('sums integers past 2^53 exactly, in NDJSON and in CSV', async () => {
    writeFileSync(path.join(dir, 'big.ndjson'), '{"n":9007199254740993}\n{"n":1}\n{"n":18014398509481985}\n');
    writeFileSync(path.join(dir, 'big.csv'), 'n\n9007199254740993\n1\n18014398509481985\n');
    for (const data of ['big.ndjson', 'big.csv']) {
      const result = await run(pipeline('sum', data, '{ step: sum, with: { field: n } }'));
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('27021597764222979\n');
    }
  });

  it('groups by integers past 2^53 and prints them exactly', async () => {
    writeFileSync(path.join(dir, 'ids.ndjson'), '{"id":9007199254740993,"v":1}\n{"id":9007199254740992,"v":2}\n{"id":9007199254740993,"v":3}\n');
    const result = await run(pipeline('ids', 'ids.ndjson', '{ step: group, with: { by: id, aggregate: { n: count, top: { max: v } } } }'));
    expect(JSON.parse(result.stdout.replace(/(\d{16,})/g, '"$1"'))).toEqual([
      { id: '9007199254740992', n: 1, top: 2 },
      { id: '9007199254740993', n: 2, top: 3 },
    ]);
  });

  it('fails on a number beyond a double, naming its file:line (exit 1)', async () => {
    writeFileSync(path.join(dir, 'huge.ndjson'), '{"n":1}\n{"n":2}\n{"m":"x","n":1e400}\n');
    const result = await run(pipeline('huge', 'huge.ndjson', '{ step: sum, with: { field: n } }'));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: source (file): the number 1e400 is too large for a 64-bit float (it would be Infinity), at column 14');
    expect(result.stderr).toContain('at huge.ndjson:3');
  });

  it('dead-letters a number beyond a double with on-error, and sums the rest exactly', async () => {
    writeFileSync(path.join(dir, 'some.ndjson'), '{"n":1}\n{"n":1e400}\n{"n":9007199254740993}\n');
    const file = pipeline('some', 'some.ndjson', '{ step: sum, with: { field: n } }');
    writeFileSync(path.join(dir, file), `${readFileSync(path.join(dir, file), 'utf8')}on-error: { action: dead-letter, dead-letter: rejects.ndjson }\n`);
    const result = await run(file);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('9007199254740994\n');
    expect(JSON.parse(readFileSync(path.join(dir, 'rejects.ndjson'), 'utf8'))).toEqual({
      source: { file: 'some.ndjson', line: 2 },
      step: 'source',
      code: 'RECORD_PARSE',
      message: 'the number 1e400 is too large for a 64-bit float (it would be Infinity), at column 6',
      raw: '{"n":1e400}',
    });
  });

  it('fails on invalid UTF-8, naming its file:line (exit 1)', async () => {
    writeFileSync(path.join(dir, 'latin1.ndjson'), Buffer.from('{"city":"Paris"}\n{"city":"Orl\xe9ans"}\n', 'latin1'));
    const result = await run(pipeline('latin1', 'latin1.ndjson', '{ step: group, with: { by: city } }'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: source (file): invalid UTF-8 at column 13 (the byte 0xe9)');
    expect(result.stderr).toContain('at latin1.ndjson:2');
  });

  it('fails on a repeated key (in any field) and on a CSV number beyond a double, naming file:line', async () => {
    writeFileSync(path.join(dir, 'dup.ndjson'), '{"k":"a","v":1}\n{"k":"b","v":2,"v":3}\n');
    const dup = await run(pipeline('dup', 'dup.ndjson', '{ step: group, with: { by: k, aggregate: { v: { sum: v } } } }'));
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('error: source (file): the key "v" appears twice in one object, at column 16');
    expect(dup.stderr).toContain('at dup.ndjson:2');
    writeFileSync(path.join(dir, 'over.csv'), 'k,v,w\na,1,2\nb,1e400,3\n');
    const over = await run(pipeline('over', 'over.csv', '{ step: sum, with: { field: v } }'));
    expect(over.code).toBe(1);
    expect(over.stdout).toBe('');
    expect(over.stderr).toContain('error: source (file): the number 1e400 is too large for a 64-bit float (it would be Infinity), in the field "v"');
    expect(over.stderr).toContain('at over.csv:3');
  });

  it('dead-letters a repeated key, a line of invalid UTF-8 and a CSV overflow alone, and reduces the rest', async () => {
    const ndjson = Buffer.from('{"k":"a","v":1}\n{"k":"a","v":2,"v":3}\n{"k":"Orl\xe9ans","v":4}\n{"k":"b","v":5}\n', 'latin1');
    writeFileSync(path.join(dir, 'mixed.ndjson'), ndjson);
    writeFileSync(path.join(dir, 'mixed.csv'), Buffer.from('k,v,w\na,1,x\na,-1E+999,2\nOrl\xe9ans,4,y\nb,5,z\n', 'latin1'));
    const expected = {
      ndjson: [
        { line: 2, message: 'the key "v" appears twice in one object, at column 16', raw: '{"k":"a","v":2,"v":3}' },
        { line: 3, message: 'invalid UTF-8 at column 10 (the byte 0xe9)', raw: '{"k":"Orl\ufffdans","v":4}' },
      ],
      csv: [
        { line: 3, message: 'the number -1E+999 is too large for a 64-bit float (it would be Infinity), in the field "v"', raw: 'a,-1E+999,2' },
        { line: 4, message: 'invalid UTF-8 at column 4 (the byte 0xe9)', raw: 'Orl\ufffdans,4,y' },
      ],
    };
    for (const kind of ['ndjson', 'csv'] as const) {
      const file = pipeline(`mixed-${kind}`, `mixed.${kind}`, '{ step: group, with: { by: k, aggregate: { v: { sum: v } } } }');
      writeFileSync(
        path.join(dir, file),
        `${readFileSync(path.join(dir, file), 'utf8')}on-error: { action: dead-letter, dead-letter: mixed-${kind}.rejects }\n`,
      );
      const result = await run(file);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual([
        { k: 'a', v: 1 },
        { k: 'b', v: 5 },
      ]);
      const rejects = readFileSync(path.join(dir, `mixed-${kind}.rejects`), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as object);
      expect(rejects).toEqual(
        expected[kind].map(({ line, message, raw }) => ({ source: { file: `mixed.${kind}`, line }, step: 'source', code: 'RECORD_PARSE', message, raw })),
      );
    }
  });

  it('skips a bad element of a JSON array with on-error, and fails on it without', async () => {
    writeFileSync(path.join(dir, 'arr.json'), '[\n {"v":1},\n {"v":},\n {"v":2,"v":9},\n {"v":4}\n]\n');
    const file = pipeline('arr', 'arr.json', '{ step: sum, with: { field: v } }');
    const failed = await run(file);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('at arr.json:3');
    writeFileSync(path.join(dir, file), `${readFileSync(path.join(dir, file), 'utf8')}on-error: { action: skip }\n`);
    const skipped = await runFlow(['run', file, '--report', 'arr.report.json', '--quiet'], { cwd: dir, env });
    expect(skipped.stderr).toBe('');
    expect(skipped.stdout).toBe('5\n');
    expect((JSON.parse(readFileSync(path.join(dir, 'arr.report.json'), 'utf8')) as { summary: { rejected: number } }).summary.rejected).toBe(2);
  });

  it('reads a gzip file by its magic bytes, whatever its name, and refuses a bzip2 one before parsing it (exit 2)', async () => {
    writeFileSync(path.join(dir, 'logs.csv'), gzipSync('a,b\n1,2\n3,4\n'));
    const gzip = await run(pipeline('gzip', 'logs.csv', '{ step: sum, with: { field: b } }'));
    expect(gzip.stderr).toBe('');
    expect(gzip.stdout).toBe('6\n');
    writeFileSync(path.join(dir, 'packed.csv'), Buffer.from('BZh91AY&SY\x00\x01', 'latin1'));
    const bzip2 = await run(pipeline('bzip2', 'packed.csv', '{ step: count }'));
    expect(bzip2.code).toBe(2);
    expect(bzip2.stdout).toBe('');
    expect(bzip2.stderr).toContain('packed.csv looks like a bzip2 file; only gzip is read among compressed formats');
    expect(bzip2.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('names the exact line of a bad record deep in a file of many blocks', async () => {
    // About 3 MB: many 64 KiB texts and 1 MiB reads before the bad line.
    const lines = Array.from({ length: 40_000 }, (_, i) => `{"origin":"A${i % 7}","delay":${i % 100},"note":"${'x'.repeat(i % 50)}"}`);
    lines[37_000] = '{"origin":"B","delay":}';
    writeFileSync(path.join(dir, 'flights.ndjson'), `${lines.join('\n')}\n`);
    const result = await run(pipeline('flights', 'flights.ndjson', '{ step: group, with: { by: origin, aggregate: { d: { mean: delay } } } }'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('at flights.ndjson:37001');
  });
});
