// Signals and files (issue 9.4), through the real CLI as a child process: SIGINT, SIGTERM and SIGHUP
// end a run on worker threads or in-process within seconds, with 130 (129 for SIGHUP), no temp file
// and an older output exactly as it was; kill -9 leaves a temp that the next run removes; a replaced
// output keeps its mode.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { e2eOnly, flowBin, root, runFlow } from './helpers/cli.js';

const flights = path.join(root, '.cache/data/flights-3m.ndjson');
// Map-only over the 3M flights: many chunks on worker threads, streamed to an NDJSON file.
const onThreads = `source:\n  step: file\n  with: { path: ${JSON.stringify(flights)} }\nworkers: 2\nmap:\n  - step: set\n    with: { fields: { hours: "r.delay / 60" } }\noutput:\n  step: file\n  with: { path: out/flights.ndjson }\n`;
// 16M numbers in bulk on 2 workers run in-process (planning/schedule.ts); the maps make it last seconds.
const inProcess = `params:\n  n: 16000000\nsource:\n  step: range\n  with: { end: "\${{ params.n }}" }\nworkers: 2\nmap:\n${'  - step: transform\n    with: { expr: "Math.sin(r) * Math.cos(r) + Math.sqrt(Math.abs(r))" }\n'.repeat(3)}reduce: sum\noutput:\n  step: file\n  with: { path: out/sum.json }\n`;

const OLD = 'the old output\n';
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function project(pipeline: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-signals-'));
  writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline);
  mkdirSync(path.join(dir, 'out'));
  return dir;
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** When the process ended, by performance.now(). */
  at: number;
}

function start(dir: string): { child: ChildProcess; ended: Promise<Ended> } {
  e2eOnly('the CLI as a child process');
  const child = spawn(process.execPath, [flowBin, 'run', 'pipeline.yaml'], { cwd: dir, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  started.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout!.resume();
  const ended = new Promise<Ended>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr, at: performance.now() })));
  return { child, ended };
}

const temps = (dir: string) => readdirSync(path.join(dir, 'out')).filter((name) => name.includes('.tmp-'));

/** Resolves once the run's own temp output holds at least `bytes` (it is under way and writing). */
async function writing(dir: string, bytes: number, { child, ended }: { child: ChildProcess; ended: Promise<Ended> }): Promise<void> {
  let done = false;
  void ended.then(() => (done = true));
  for (;;) {
    if (done) throw new Error(`the run ended before writing ${bytes} bytes: ${(await ended).stderr}`);
    const temp = temps(dir).find((name) => name.includes(`.tmp-${child.pid}-`));
    if (temp !== undefined && (statSync(path.join(dir, 'out', temp), { throwIfNoEntry: false })?.size ?? -1) >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The number of lines of a text that ends each line with \n, and its first and last line. */
function lines(text: Buffer): { count: number; first: string; last: string } {
  let count = 0;
  for (let at = text.indexOf(10); at !== -1; at = text.indexOf(10, at + 1)) count++;
  const end = text.length - 1;
  expect(text[end]).toBe(10);
  return { count, first: text.subarray(0, text.indexOf(10)).toString(), last: text.subarray(text.lastIndexOf(10, end - 1) + 1, end).toString() };
}

const expectedCode = { SIGINT: 130, SIGTERM: 130, SIGHUP: 129 } as const;
const expectedMessage = { SIGINT: 'interrupted (SIGINT)', SIGTERM: 'interrupted (SIGTERM)', SIGHUP: 'hung up (SIGHUP)' } as const;
const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

describe('a signal ends a run', () => {
  it.each(signals)('%s on worker threads: exit code, in seconds, no temp file, the older output as it was', async (signal) => {
    const dir = project(onThreads);
    const target = path.join(dir, 'out/flights.ndjson');
    writeFileSync(target, OLD);
    chmodSync(target, 0o640);
    const run = start(dir);
    const { child, ended } = run;
    await writing(dir, 1 << 20, run);
    const sent = performance.now();
    child.kill(signal);
    const end = await ended;
    expect(end.code, end.stderr).toBe(expectedCode[signal]);
    expect(end.stderr).toContain(`${expectedMessage[signal]}; nothing was written`);
    // The bound is generous: the promise is 2 seconds; this only catches a run that ignores the signal.
    expect(end.at - sent).toBeLessThan(5000);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['flights.ndjson']);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    expect(statSync(target).mode & 0o777).toBe(0o640);
  });

  it('runs the in-process pipeline in-process, 16M numbers included', async () => {
    const dir = project(inProcess);
    const run = await runFlow(['run', 'pipeline.yaml', '--quiet', '--set', 'n=1000', '--report', 'report.json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const { summary } = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
      summary: { workers: number | 'in-process'; execution: { where: string; reasons: string[] } };
    };
    expect(summary).toMatchObject({ workers: 'in-process', execution: { where: 'in-process' } });
    // In bulk, as the 16M run is: the limit the plan names covers it.
    const limit = summary.execution.reasons.map((reason) => /^in-process: 1000 numbers in bulk, at most (\d+) for 2 workers$/.exec(reason)?.[1]).find(Boolean);
    expect(Number(limit)).toBeGreaterThanOrEqual(16_000_000);
  });

  it.each(signals)('%s in-process: honoured between chunks', async (signal) => {
    const dir = project(inProcess);
    const target = path.join(dir, 'out/sum.json');
    writeFileSync(target, OLD);
    chmodSync(target, 0o600);
    const run = start(dir);
    const { child, ended } = run;
    // The temp file is opened before the first chunk runs; give the run a moment to be in its chunks.
    await writing(dir, 0, run);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = performance.now();
    child.kill(signal);
    const end = await ended;
    expect(end.code, end.stderr).toBe(expectedCode[signal]);
    expect(end.stderr).toContain(expectedMessage[signal]);
    expect(end.at - sent).toBeLessThan(5000);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['sum.json']);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('SIGTERM mid-chunk in-process (one chunk of 16M numbers, seconds of work): 130 within 2 s, nothing written', async () => {
    // One chunk as the pipeline asks: in-process it still runs in slices, and the signal comes between two.
    const dir = project(inProcess.replace('workers: 2\n', 'workers: 2\nchunking: { records: 16000000 }\n'));
    const target = path.join(dir, 'out/sum.json');
    writeFileSync(target, OLD);
    const run = start(dir);
    await writing(dir, 0, run);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = performance.now();
    run.child.kill('SIGTERM');
    const end = await run.ended;
    expect(end.code, end.stderr).toBe(130);
    expect(end.at - sent).toBeLessThan(2000);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['sum.json']);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
  });

  // The source's next chunk is an hour away: the abort waits on it, so only the fallback ends the run.
  const stalled = 'source: ./steps/stalled.mjs\noutput:\n  step: file\n  with: { path: out/n.ndjson }\n';

  it.each([
    ['one signal: 1.5 s later it exits anyway', 1],
    ['a second signal 0.2 s after the first: it exits then', 2],
  ])('a run that cannot stop (its source stalls), %s, removing the temp file', async (_, count) => {
    const dir = project(stalled);
    cpSync(path.join(root, 'test/fixtures/signals/steps'), path.join(dir, 'steps'), { recursive: true });
    const target = path.join(dir, 'out/n.ndjson');
    writeFileSync(target, OLD);
    const run = start(dir);
    await writing(dir, 0, run);
    const sent = performance.now();
    run.child.kill('SIGINT');
    // Apart, or the system may merge them into one.
    if (count === 2) await new Promise((resolve) => setTimeout(resolve, 200)).then(() => run.child.kill('SIGINT'));
    const end = await run.ended;
    expect(end.code, end.stderr).toBe(130);
    expect(end.stderr.match(/interrupted \(SIGINT\); nothing was written/g)).toHaveLength(1);
    expect(end.at - sent).toBeLessThan(5000);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['n.ndjson']);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
  });
});

describe('files', () => {
  it('kill -9 mid-output leaves a temp named after the process; the next run removes it, and a clean rerun writes the right output', async () => {
    const dir = project(onThreads);
    // Each killed run leaves its temp; the next run, killed too, has removed the one before.
    for (let kill = 0; kill < 3; kill++) {
      const run = start(dir);
      const { child, ended } = run;
      await writing(dir, 4 << 20, run);
      child.kill('SIGKILL');
      expect((await ended).signal).toBe('SIGKILL');
      expect(temps(dir)).toEqual([expect.stringMatching(new RegExp(`^\\.flights\\.ndjson\\.tmp-${child.pid}-[0-9a-f]+$`))]);
    }

    const run = await runFlow(['run', 'pipeline.yaml', '--quiet'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['flights.ndjson']);
    // Every record once, in order, with its field added.
    const output = lines(readFileSync(path.join(dir, 'out/flights.ndjson')));
    const input = lines(readFileSync(flights));
    expect(output.count).toBe(input.count);
    const mapped = (line: string) => {
      const record = JSON.parse(line) as { delay: number };
      return { ...record, hours: record.delay / 60 };
    };
    expect(JSON.parse(output.first)).toEqual(mapped(input.first));
    expect(JSON.parse(output.last)).toEqual(mapped(input.last));
  }, 180_000);

  it('a replaced output keeps its mode (0600 stays 0600)', async () => {
    const dir = project('source:\n  step: range\n  with: { end: 3 }\noutput:\n  step: file\n  with: { path: out/n.ndjson }\n');
    const target = path.join(dir, 'out/n.ndjson');
    writeFileSync(target, OLD);
    chmodSync(target, 0o600);
    const run = await runFlow(['run', 'pipeline.yaml', '--quiet'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('0\n1\n2\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });
});
