// Retries and asynchronous failures through the real CLI, on real worker threads (on the model of
// BullMQ's stalled-jobs tests and CPython's test_broken_process_pool). Plugin steps from
// test/fixtures/retries/steps fail on chosen records a chosen number of times (marker files in the
// run's folder say which attempt it is): a run that recovers must write exactly the bytes of a clean
// run; one that cannot must exit 1 naming the chunk, its first record's file:line and every attempt.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runFlow, type FlowRun } from './helpers/cli.js';
// @ts-expect-error: a plain-JavaScript plugin step, imported for the hash it crashes by.
import { hash } from './fixtures/retries/steps/chaos.mjs';

const steps = path.join(root, 'test/fixtures/retries/steps');
const RECORDS = 2000;

interface Case {
  /** The map steps, as YAML list items. */
  map: string[];
  retries?: string;
  /** A reduce step instead of the NDJSON output. */
  reduce?: string;
  records?: number;
  workers?: number;
  env?: Record<string, string>;
}

interface Outcome {
  run: FlowRun;
  dir: string;
  /** The output file's bytes, undefined when there is none. */
  output?: string;
  report: {
    status: string;
    exitCode: number;
    summary?: { retried?: number };
    errors?: { code: string; message: string; step?: string; hint?: string; record?: unknown }[];
  };
  /** The marker files the steps left: one per fault that happened. */
  markers: string[];
}

/** Runs a pipeline over data.ndjson (line n holds the record of id n) in a fresh folder. */
async function flow(c: Case): Promise<Outcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-retries-'));
  cpSync(steps, path.join(dir, 'steps'), { recursive: true });
  const records = c.records ?? RECORDS;
  const lines = Array.from({ length: records }, (_, i) => JSON.stringify({ id: i + 1, name: `r${i + 1}`, v: ((i + 1) * 7) % 13 }));
  writeFileSync(path.join(dir, 'data.ndjson'), `${lines.join('\n')}\n`);
  const yaml = [
    'source:',
    '  step: file',
    '  with: { path: data.ndjson }',
    'chunking: { bytes: 2048 }',
    'map:',
    ...c.map.map((step) => `  - ${step}`),
    ...(c.retries ? [`retries: ${c.retries}`] : []),
    ...(c.reduce ? [`reduce: ${c.reduce}`] : []),
    'output:',
    '  step: file',
    `  with: { path: out/result.${c.reduce ? 'json' : 'ndjson'} }`,
  ];
  writeFileSync(path.join(dir, 'pipeline.yaml'), `${yaml.join('\n')}\n`);
  const args = ['run', 'pipeline.yaml', '--quiet', '--report', 'report.json', ...(c.workers ? ['--workers', String(c.workers)] : [])];
  const run = await runFlow(args, { cwd: dir, env: c.env ?? {} });
  const out = path.join(dir, 'out', `result.${c.reduce ? 'json' : 'ndjson'}`);
  const markers = existsSync(path.join(dir, 'markers')) ? readdirSync(path.join(dir, 'markers')).sort() : [];
  return {
    run,
    dir,
    ...(existsSync(out) ? { output: readFileSync(out, 'utf8') } : {}),
    report: JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Outcome['report'],
    markers,
  };
}

const fault = (kind: string, ids: number[], times: number) =>
  `step: ./steps/fault.mjs\n    with: { fault: ${kind}, ids: [${ids.join(', ')}], times: ${times} }`;
/** Something for every record to go through after the fault, so the output shows any record lost or doubled. */
const tag = 'step: transform\n    with: { expr: "{ id: r.id, tag: r.name + \':\' + r.v }" }';

const clean = new Map<string, Promise<string>>();
/** The output of the same pipeline without faults (the fault step with times: 0). */
function cleanOutput(reduce?: string): Promise<string> {
  const key = reduce ?? '';
  if (!clean.has(key)) {
    clean.set(
      key,
      flow({ map: [fault('exit', [], 0), tag], ...(reduce ? { reduce } : {}) }).then((o) => {
        expect(o.run.code).toBe(0);
        return o.output!;
      }),
    );
  }
  return clean.get(key)!;
}

function expectSucceeded(o: Outcome) {
  expect(o.run.stderr).toBe('');
  expect(o.run.code).toBe(0);
  expect(o.report.status).toBe('ok');
}

/** Exit 1, no stack trace, no output file, and exactly one error, returned. */
function expectFailed(o: Outcome) {
  expect(o.run.code).toBe(1);
  expect(o.run.stderr).toMatch(/^error: /m);
  expect(o.run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(o.output).toBeUndefined();
  expect(existsSync(path.join(o.dir, 'out')) ? readdirSync(path.join(o.dir, 'out')) : []).toEqual([]);
  expect(o.report).toMatchObject({ status: 'failed', exitCode: 1 });
  expect(o.report.errors).toHaveLength(1);
  return o.report.errors![0]!;
}

/** The chunk a CHUNK_FAILED error names, and the line of its first record, checked against the message. */
function chunkOf(error: { message: string; record?: unknown }, id: number) {
  const match = /^chunk (\d+) \(records from data\.ndjson:(\d+) on\) failed /.exec(error.message);
  expect(match, error.message).not.toBeNull();
  const [chunk, line] = [Number(match![1]), Number(match![2])];
  // The chunk holds the record that failed: its first line is at most a chunk (2 KiB, ~65 lines) before.
  expect(line).toBeLessThanOrEqual(id);
  expect(line).toBeGreaterThan(id - 100);
  expect(error.record).toEqual({ file: 'data.ndjson', line, chunk });
  return { chunk, line };
}

describe('retries: a chunk whose worker died, timed out or could not set up runs again', () => {
  it.each([
    ['calls process.exit', 'exit', {}],
    ['runs out of memory', 'oom', { FLOW_WORKER_MAX_HEAP_MB: '64' }],
  ])('a step that %s on its first attempt at a chunk: retried, the same bytes as a clean run', async (_, kind, env) => {
    const o = await flow({ map: [fault(kind, [1500], 1), tag], env });
    expectSucceeded(o);
    expect(o.markers).toEqual(['1500-1']);
    expect(o.output).toBe(await cleanOutput());
    // The recovery is not silent: the report counts the attempts run again.
    expect(o.report.summary?.retried).toBe(1);
  });

  it('a reduce gives the same result when 40 records each kill their worker once (two in some chunks)', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => 25 + i * 49);
    const o = await flow({ map: [fault('exit', ids, 1), tag], reduce: 'count' });
    expectSucceeded(o);
    expect(o.markers).toHaveLength(40);
    expect(o.report.summary?.retried).toBe(40);
    expect(o.output).toBe(await cleanOutput('count'));
    expect(JSON.parse(o.output!)).toBe(RECORDS);
  });

  it('a step that always exits: exit 1 naming the chunk, its first file:line, every attempt and the step; the pool is not taken down', async () => {
    const o = await flow({ map: [fault('exit', [1500], 99), tag] });
    const error = expectFailed(o);
    // Three attempts, three threads killed: the run still ended cleanly.
    expect(o.markers).toEqual(['1500-1', '1500-2', '1500-3']);
    const { chunk, line } = chunkOf(error, 1500);
    // The thread was in the plugin step when it exited (step-marker.ts): a dead thread cannot say so itself.
    const died = 'its worker thread died in the step: worker exited with code: 3';
    expect(error).toEqual({
      code: 'CHUNK_FAILED',
      message: `chunk ${chunk} (records from data.ndjson:${line} on) failed all 3 attempts, each time: ${died}`,
      hint: 'a step called process.exit, ran out of memory or crashed its thread on these records (retries.attempts sets how often a chunk is tried)',
      step: 'map[0] (./steps/fault.mjs)',
      record: { file: 'data.ndjson', line, chunk },
    });
    expect(o.run.stderr).toContain(`at data.ndjson:${line}`);
  });

  it('one thread, killed on every attempt, is replaced each time; attempts: 5 is obeyed', async () => {
    const o = await flow({ map: [fault('exit', [700], 99)], retries: '{ attempts: 5 }', workers: 1 });
    const error = expectFailed(o);
    expect(o.markers).toEqual(['700-1', '700-2', '700-3', '700-4', '700-5']);
    expect(error.message).toMatch(/ failed all 5 attempts, each time: its worker thread died in the step: worker exited with code: 3$/);
  });

  it('a step that hangs once, with chunk-timeout 1s: its thread is ended and the chunk retried, the same bytes', async () => {
    const o = await flow({ map: [fault('hang', [900], 1), tag], retries: '{ chunk-timeout: 1s }' });
    expectSucceeded(o);
    expect(o.markers).toEqual(['900-1']);
    expect(o.output).toBe(await cleanOutput());
  });

  it('a step that always hangs: exit 1 after its attempts, each a timeout', async () => {
    const o = await flow({ map: [fault('hang', [900], 99)], retries: '{ attempts: 2, chunk-timeout: 1s }' });
    const error = expectFailed(o);
    const { chunk, line } = chunkOf(error, 900);
    const timeout = 'it ran past chunk-timeout (1s) in the step and its thread was ended';
    expect(error.message).toBe(`chunk ${chunk} (records from data.ndjson:${line} on) failed all 2 attempts, each time: ${timeout}`);
    expect(error.step).toBe('map[0] (./steps/fault.mjs)');
    expect(o.markers).toEqual(['900-1', '900-2']);
  });

  it('a step whose setup throws once: the chunk that met it runs again, the same bytes', async () => {
    const o = await flow({ map: ['step: ./steps/setup-fails.mjs\n    with: { times: 1 }', tag] });
    expectSucceeded(o);
    expect(o.markers).toEqual(['setup-1']);
    expect(o.output).toBe(await cleanOutput());
  });

  it('a setup that hangs once, with chunk-timeout 1s: the thread is ended, a new one set up, the same bytes', async () => {
    const o = await flow({ map: ['step: ./steps/setup-fails.mjs\n    with: { times: 1, hang: true }', tag], retries: '{ chunk-timeout: 1s }' });
    expectSucceeded(o);
    expect(o.markers).toEqual(['setup-1']);
    expect(o.output).toBe(await cleanOutput());
  });

  it('a setup that always throws: exit 1 naming the step, and the cause of each attempt', async () => {
    const o = await flow({ map: ['step: ./steps/setup-fails.mjs\n    with: { times: 1000 }'] });
    const error = expectFailed(o);
    expect(error.code).toBe('CHUNK_FAILED');
    expect(error.step).toBe('map[0] (./steps/setup-fails.mjs)');
    expect(error.message).toMatch(
      /^chunk 0 \(records from data\.ndjson:1 on\) failed all 3 attempts: \[1\] the step could not be loaded or set up: the service is not up yet \(attempt \d+\); \[2\] .+; \[3\] .+$/,
    );
  });

  it('a record error is not retried: the step threw on it once, and the error names its line', async () => {
    const o = await flow({ map: [fault('throw', [1234], 99)] });
    const error = expectFailed(o);
    expect(error).toMatchObject({ code: 'STEP_FAILED', message: 'cannot handle this record', record: { file: 'data.ndjson', line: 1234 } });
    expect(o.markers).toEqual(['1234-1']);
  });

  it('--workers 6 prints no MaxListeners warning, and gives the same bytes', async () => {
    const o = await flow({ map: [fault('exit', [], 0), tag], workers: 6 });
    expect(o.run.stderr).not.toMatch(/MaxListeners/);
    expectSucceeded(o);
    expect(o.report.summary).not.toHaveProperty('retried');
    expect(o.output).toBe(await cleanOutput());
  });
});

describe('asynchronous failures of a step fail the run, naming the step; so does a result that cannot be sent back', () => {
  it.each([
    ['a throw in a timer', 'timer', 'an uncaught error in a timer or callback: late'],
    ['an unhandled rejection', 'reject', 'an unhandled promise rejection: nobody awaited this'],
  ])('%s: exit 1, STEP_FAILED, not retried', async (_, kind, message) => {
    const o = await flow({ map: [fault(kind, [1500], 1), tag] });
    const error = expectFailed(o);
    expect(error).toEqual({
      code: 'STEP_FAILED',
      message,
      step: 'map[0] (./steps/fault.mjs)',
      hint: "a step's map (or setup) must finish its work before it returns: await it, or catch its errors",
    });
    expect(o.markers).toEqual(['1500-1']);
  });

  it("a rejection left behind by a step's setup: exit 1 naming the step", async () => {
    const o = await flow({ map: ['step: ./steps/setup-rejects.mjs'] });
    const error = expectFailed(o);
    expect(error).toMatchObject({
      code: 'STEP_FAILED',
      message: 'an unhandled promise rejection: forgotten in setup',
      step: 'map[0] (./steps/setup-rejects.mjs)',
    });
  });

  it("a timer that throws after the run's last chunk has returned: exit 1 naming the step", async () => {
    const o = await flow({ map: [fault('late', [RECORDS], 1), tag] });
    const error = expectFailed(o);
    expect(error).toMatchObject({ code: 'STEP_FAILED', message: 'an uncaught error in a timer or callback: too late', step: 'map[0] (./steps/fault.mjs)' });
    expect(o.markers).toEqual([`${RECORDS}-1`]);
  });

  it('a record that cannot cross back to the main thread: exit 1 naming the step and its file:line, not retried', async () => {
    const o = await flow({ map: [fault('function', [1500], 99)], retries: '{ attempts: 3 }' });
    const error = expectFailed(o);
    expect(error).toMatchObject({ code: 'STEP_FAILED', step: 'map[0] (./steps/fault.mjs)', record: { file: 'data.ndjson', line: 1500 } });
    expect(error.message).toMatch(/^a record it returned cannot be sent between threads: .* could not be cloned\.$/);
    // The run that died of it, and the one that named the record: no retry.
    expect(o.markers).toEqual(['1500-1', '1500-2']);
    expect(o.report.summary?.retried).toBeUndefined();
  });

  it('with on-error dead-letter, that record is rejected alone and the rest written', async () => {
    const o = await flow({ map: [fault('function', [1500, 1501], 99), tag].reverse(), retries: '{ attempts: 3 }' });
    expect(expectFailed(o).record).toEqual({ file: 'data.ndjson', line: 1500 });
    const yaml = path.join(o.dir, 'pipeline.yaml');
    writeFileSync(yaml, `${readFileSync(yaml, 'utf8')}on-error: { action: dead-letter, dead-letter: out/rejects.ndjson }\n`);
    const run = await runFlow(['run', 'pipeline.yaml', '--quiet'], { cwd: o.dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = readFileSync(path.join(o.dir, 'out/result.ndjson'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(RECORDS - 2);
    expect(lines.some((line) => /"id":150[01],/.test(line))).toBe(false);
    const rejects = readFileSync(path.join(o.dir, 'out/rejects.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rejects.map((r) => [r.source, r.step, r.code, r.record])).toEqual([
      [{ file: 'data.ndjson', line: 1500 }, 'map[1]', 'STEP_FAILED', { id: 1500, name: 'r1500', v: 9 }],
      [{ file: 'data.ndjson', line: 1501 }, 'map[1]', 'STEP_FAILED', { id: 1501, name: 'r1501', v: 3 }],
    ]);
  });
});

describe('soak: a step that crashes its worker at random, 50 times over a run', () => {
  const records = 5000;
  it.each([1, 2, 3])('seed %i: every crash happened and the bytes are those of a clean run', async (seed) => {
    const crashes = Array.from({ length: records }, (_, i) => i + 1).filter((id) => hash(seed, id) % 97 === 0);
    expect(crashes.length).toBeGreaterThanOrEqual(40);
    const o = await flow({ map: [`step: ./steps/chaos.mjs\n    with: { seed: ${seed} }`, tag], records, retries: '{ attempts: 100 }' });
    expectSucceeded(o);
    expect(o.markers).toEqual(crashes.map((id) => `chaos-${id}`).sort());
    expect(o.report.summary?.retried).toBe(crashes.length);
    const reference = await flow({ map: [fault('exit', [], 0), tag], records });
    expect(o.output).toBe(reference.output);
    expect(o.output!.split('\n')).toHaveLength(records + 1);
  });
});
