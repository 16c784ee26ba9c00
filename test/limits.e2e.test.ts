// Limits, through the real CLI: an expression that would build without bound fails its record (exit
// 1, the record named) instead of making V8 abort the process, in-process and on threads; pipeline
// YAML that is too deep or too large is refused, located, with exit 2 and no stack; a mapping of
// 100k keys loads (no wall-clock assertion: the test's timeout is the bound); and a path that is not
// a regular file, the chunk minimum and inherited env names give clear exit-2 errors.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlow, type FlowRun } from './helpers/cli.js';

/** A stack frame: `    at fn (file.js:12:5)`; flow's own `  at data.ndjson:2` has no column. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-limits-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function expectCleanFailure(run: FlowRun, code: 1 | 2): void {
  // Exit 133/134 or a signal is V8 aborting; a stack trace is an internal error.
  expect([run.code, run.signal]).toEqual([code, null]);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(/FATAL|Maximum call stack|heap/i);
}

interface Report {
  errors: { code: string; message: string; step?: string; record?: object; location?: object }[];
  summary?: { execution?: { where?: string } };
}

const report = (dir: string): Report => JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;

describe('an expression that would build without bound', () => {
  // The expression of issue 9: V8 aborted the process with SIGTRAP (exit 133) or SIGABRT (134).
  const bomb = "'a'.repeat(500000000).split('').length";
  const ways = [
    ['in-process, 1 worker', ['--workers', '1'], {}, 'in-process'],
    ['on worker threads', ['--workers', '2'], { FLOW_NO_IN_PROCESS: '1' }, 'threads'],
  ] as const;

  it.each(ways)('fails its record with EXPR_LIMIT, %s', { timeout: 30_000 }, async (_how, args, env, where) => {
    const dir = project({
      'pipeline.yaml': `source: { step: range, with: { end: 3 } }\nmap:\n  - step: transform\n    with: { expr: "${bomb}" }\n`,
    });
    const run = await runFlow(['run', 'pipeline.yaml', '--report', 'report.json', ...args], { cwd: dir, env });
    expectCleanFailure(run, 1);
    expect(run.stderr).toContain(
      'error: map[0] (transform): repeat would build 500000000 characters; an expression may build at most 16777216 characters (16 Mi)',
    );
    expect(report(dir).errors).toEqual([
      {
        code: 'EXPR_LIMIT',
        message: 'repeat would build 500000000 characters; an expression may build at most 16777216 characters (16 Mi)',
        hint: 'an expression works on one record; a value this large is most likely a mistake',
        step: 'map[0] (transform)',
        record: { index: 0 },
      },
    ]);
    // The same options run a clean pipeline where the test says they do.
    writeFileSync(path.join(dir, 'clean.yaml'), 'source: { step: range, with: { end: 3 } }\nmap:\n  - step: transform\n    with: { expr: "r + 1" }\n');
    const clean = await runFlow(['run', 'clean.yaml', '--quiet', '--report', 'report.json', ...args], { cwd: dir, env });
    expect([clean.code, JSON.parse(clean.stdout)]).toEqual([0, [1, 2, 3]]);
    expect(report(dir).summary?.execution?.where).toBe(where);
  });

  it.each(ways)('names the file and line of the record, %s, and writes no output', { timeout: 30_000 }, async (_how, args, env) => {
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ s: 'ab', n: i === 29 ? 5e8 : 2 }));
    const dir = project({
      'data.ndjson': `${lines.join('\n')}\n`,
      'pipeline.yaml': [
        'source: { step: file, with: { path: data.ndjson } }',
        'chunking: { bytes: 1KiB }',
        'map:',
        '  - step: transform',
        '    with: { expr: "r.s.repeat(r.n).split(\'\').length" }',
        'output: { step: file, with: { path: out/lengths.ndjson } }',
        '',
      ].join('\n'),
    });
    const run = await runFlow(['run', 'pipeline.yaml', '--quiet', '--report', 'report.json', ...args], { cwd: dir, env });
    expectCleanFailure(run, 1);
    expect(run.stderr).toMatch(/^ {2}at data\.ndjson:30$/m);
    expect(report(dir).errors).toMatchObject([{ code: 'EXPR_LIMIT', step: 'map[0] (transform)', record: { file: 'data.ndjson', line: 30 } }]);
    expect(() => readFileSync(path.join(dir, 'out/lengths.ndjson'))).toThrow();
  });

  it.each(ways)('is a record error that on-error skips, %s', { timeout: 30_000 }, async (_how, args, env) => {
    const dir = project({
      'data.ndjson': '{"s":"a","n":2}\n{"s":"b","n":500000000}\n{"s":"c","n":1}\n',
      'pipeline.yaml':
        'source: { step: file, with: { path: data.ndjson } }\non-error: { action: skip }\nmap:\n  - step: transform\n    with: { expr: "r.s.repeat(r.n)" }\n',
    });
    const run = await runFlow(['run', 'pipeline.yaml', '--quiet', ...args], { cwd: dir, env });
    expect([run.code, run.signal, run.stderr]).toEqual([0, null, '']);
    expect(JSON.parse(run.stdout)).toEqual(['aa', 'c']);
  });
});

describe('pipeline YAML limits', () => {
  it('refuses YAML nested 2,000 levels deep: exit 2, located, no stack', async () => {
    const dir = project({ 'pipeline.yaml': `source: { step: range, with: { end: 3 } }\nname: ${'['.repeat(2000)}${']'.repeat(2000)}\n` });
    for (const command of ['validate', 'run']) {
      const run = await runFlow([command, 'pipeline.yaml'], { cwd: dir });
      expectCleanFailure(run, 2);
      // At the 64th bracket: the file's mapping is level 1.
      expect(run.stderr).toMatch(/pipeline\.yaml:2:70 error: the YAML nests more than 64 levels deep here$/m);
      expect(run.stderr).toContain('hint: a pipeline needs only a few levels of mappings and lists');
    }
  });

  it('refuses block mappings nested 70 levels deep at the first one too deep', async () => {
    const nested = Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n');
    const dir = project({ 'pipeline.yaml': `source: { step: range, with: { end: 3 } }\nparams:\n${nested} 1\n` });
    const run = await runFlow(['validate', 'pipeline.yaml'], { cwd: dir });
    expectCleanFailure(run, 2);
    // The file's mapping is level 1, the one holding k0 (line 3) level 2: the one holding k63, level 65.
    expect(run.stderr).toContain('pipeline.yaml:66:129 error: the YAML nests more than 64 levels deep here');
  });

  it('refuses a pipeline file over 1 MiB, located where it passes the limit', async () => {
    const comment = `# ${'x'.repeat(1021)}\n`;
    const dir = project({ 'pipeline.yaml': `source: { step: range, with: { end: 3 } }\n${comment.repeat(1100)}` });
    const run = await runFlow(['validate', 'pipeline.yaml'], { cwd: dir });
    expectCleanFailure(run, 2);
    // 42 bytes on line 1, then lines of 1024: byte 1 MiB is on line 1025, column 1024 - 42 + 1.
    expect(run.stderr).toContain('pipeline.yaml:1025:983 error: the pipeline file is larger than 1 MiB');
  });

  // Under 1 MiB: `k0: 0, k1: 1, ..., kzzz: 5, ...`, 100k keys in one flow mapping.
  const keys = Array.from({ length: 100_000 }, (_, i) => `k${i.toString(36)}: ${i % 10}`);
  /** The error lines only: an error on this 1 MB line quotes it, and a failed match would diff megabytes. */
  const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.includes(' error: '));

  it('loads a mapping of 100k keys (the test timeout is the bound: this took 75 s)', { timeout: 20_000 }, async () => {
    const dir = project({ 'pipeline.yaml': `source: { step: range, with: { end: "\${{ params.kzzz }}" } }\nparams: {${keys.join(', ')}}\n` });
    const run = await runFlow(['run', 'pipeline.yaml', '--quiet'], { cwd: dir });
    expect([run.code, errorLines(run.stderr), run.stderr.length]).toEqual([0, [], 0]);
    // kzzz is key number 36^3 - 1 = 46655: its value is 5.
    expect(JSON.parse(run.stdout)).toEqual([0, 1, 2, 3, 4]);
  });

  it('still names a duplicate key among 100k', { timeout: 20_000 }, async () => {
    const dir = project({ 'pipeline.yaml': `source: { step: range, with: { end: 3 } }\nparams: {${[...keys, 'k0: 1'].join(', ')}}\n` });
    const run = await runFlow(['validate', 'pipeline.yaml'], { cwd: dir });
    expect([run.code, run.signal]).toEqual([2, null]);
    const lines = errorLines(run.stderr);
    expect(lines).toHaveLength(1);
    expect(/pipeline\.yaml:2:\d+ error: duplicate key "k0"$/.test(lines[0]!)).toBe(true);
  });
});

describe('small holes', () => {
  it('/dev/stdin named as a file, a socket here: exit 2, naming it and the way to read standard input', async () => {
    const dir = project({
      'pipeline.yaml': 'source: { step: file, with: { path: /dev/stdin, format: lines } }\n',
    });
    // runFlow gives the child a socket pair as standard input (a shell's `|` gives a FIFO).
    const run = await runFlow(['run', 'pipeline.yaml'], { cwd: dir, input: 'a\nb\n' });
    expectCleanFailure(run, 2);
    expect(run.stderr).toMatch(/error: source\.with\.path: \/dev\/stdin is (a socket|a FIFO \(a named pipe\)), standard input here, not a regular file$/m);
    // A FIFO or `path: "-"` is read as a stream (test/inputs-gzip.e2e.test.ts); /dev/stdin named as a file is not.
    expect(run.stderr).toContain('the file source reads regular files, FIFOs and standard input (path: "-")');
  });

  it('chunking.bytes below 1 KiB: exit 2 naming the minimum', async () => {
    const dir = project({ 'pipeline.yaml': 'source: { step: range, with: { end: 3 } }\nchunking: { bytes: 1 }\n' });
    const run = await runFlow(['validate', 'pipeline.yaml'], { cwd: dir });
    expectCleanFailure(run, 2);
    expect(run.stderr).toContain('pipeline.yaml:2:20 error: chunking.bytes: expected an integer >= 1024, or a size of at least 1KiB');
  });

  it('${{ env.toString }} is an undefined variable, not a member of Object.prototype', async () => {
    const dir = project({ 'pipeline.yaml': 'name: "${{ env.toString }}"\nsource: { step: range, with: { end: 3 } }\n' });
    const run = await runFlow(['validate', 'pipeline.yaml'], { cwd: dir });
    expectCleanFailure(run, 2);
    expect(run.stderr).toContain('pipeline.yaml:1:8 error: name: the environment variable toString is not set');
  });
});
