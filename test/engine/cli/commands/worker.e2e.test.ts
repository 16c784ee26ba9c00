// flow worker and flow run --queue through the real CLI against a real Redis (issue 12): the same
// bytes as the local pool, a run's keys removed, two coordinators sharing the workers, and SIGTERM
// finishing the chunks in hand. Redis is REDIS_URL (default 127.0.0.1:6379); each test has its prefix.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../helpers/cli.js';
import { queueProject } from '../../../helpers/queue-project.js';
import { keysOf, planned, queueTests, newPrefix, redisUrl, runKeys, startFlow, startWorker, type Child } from '../../../helpers/redis.js';

const suite = queueTests();
// The report of a queued run, its summary.queue included, against `flow schema --report`.
const validateReport = new Ajv({ strict: true, allErrors: true, validateFormats: false }).compile(
  JSON.parse(readFileSync(path.join(root, 'schemas/report.schema.json'), 'utf8')) as object,
);
let prefix: string;
let workers: Child[] = [];
const out = mkdtempSync(path.join(os.tmpdir(), 'flow-worker-e2e-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const queued = (prefixed: string) => ['--queue', redisUrl, '--queue-prefix', prefixed];

/** The output of a pipeline of pipelines/ run locally and through the queue, each to its own file. */
async function both(pipeline: string, name: string) {
  const local = path.join(out, `${name}.local.json`);
  const viaQueue = path.join(out, `${name}.queue.json`);
  const a = await runFlow(['run', `pipelines/${pipeline}`, '-q', '-o', local]);
  const report = path.join(out, `${name}.report.json`);
  const b = await runFlow(['run', `pipelines/${pipeline}`, '-q', '-o', viaQueue, '--report', report, ...queued(prefix)]);
  return { a, b, local: readFileSync(local, 'utf8'), queued: readFileSync(viaQueue, 'utf8'), report: JSON.parse(readFileSync(report, 'utf8')) };
}

describe('flow run --queue', () => {
  // Every example that reads files (map-only and reduced; a local TypeScript step and an npm package's),
  // and generator slices (range, random) that would otherwise run in-process.
  const examples = [
    'flight-delays.yaml',
    'late-flights.yaml',
    'seattle-weather.yaml',
    'top-movies.yaml',
    'plugin-steps.yaml',
    'flights-by-origin.yaml',
    'squares.yaml',
    'random-mean.yaml',
  ];

  it.each(examples)('%s: the same bytes as the local pool, and the run leaves no key', async (pipeline) => {
    prefix = newPrefix();
    workers = [await startWorker(prefix, { threads: 2 })];
    const { a, b, local, queued: got, report } = await both(pipeline, pipeline);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(got).toBe(local);
    const ran = report.summary.queue.workers as Array<{ name: string; chunks: number }>;
    expect(ran).toHaveLength(1);
    expect(ran[0]!.chunks).toBe(report.summary.chunks);
    expect(report.summary.queue.url).toBe(redisUrl.replace(/\/$/, ''));
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
  });

  it('results over 64 KiB go through a key of the run, read and deleted: same bytes, no key left', async () => {
    prefix = newPrefix();
    // Map-only, 40,000 records in chunks of 512 KiB: each chunk's records come back spilled.
    const project = queueProject({ records: 40_000, slowIds: [], ms: 0, chunkBytes: 512 * 1024 });
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const local = await runFlow(['run', 'pipeline.yaml', '-q', '-o', 'out/local.ndjson'], { cwd: project.dir });
    const run = await runFlow(['run', 'pipeline.yaml', '-q', ...queued(prefix)], { cwd: project.dir });
    expect(local.code, local.stderr).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(path.join(project.dir, 'out/result.ndjson'), 'utf8')).toBe(readFileSync(path.join(project.dir, 'out/local.ndjson'), 'utf8'));
    // The completions named keys, not inline results.
    const events = (await suite.redis().xrange(`${prefix}:flow-chunks:events`, '-', '+')).map(([, fields]) => fields);
    const returned = events.filter((f) => f[1] === 'completed').map((f) => JSON.parse(f[f.indexOf('returnvalue') + 1]!) as { key?: string });
    expect(returned.length).toBeGreaterThan(1);
    expect(returned.every((r) => r.key?.startsWith(`${prefix}:run:`))).toBe(true);
    expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
  });

  it('map-only records come back as JSON when exact, v8 with FLOW_NO_QUEUE_JSON=1: the same bytes either way', async () => {
    prefix = newPrefix();
    workers = [await startWorker(prefix, { threads: 2 })];
    const encodings = async (env: NodeJS.ProcessEnv, name: string) => {
      const before = (await suite.redis().xrange(`${prefix}:flow-chunks:events`, '-', '+')).length;
      const report = path.join(out, `${name}.report.json`);
      const run = await runFlow(['run', 'pipelines/late-flights.yaml', '-q', '-o', path.join(out, `${name}.ndjson`), '--report', report, ...queued(prefix)], {
        env,
      });
      expect(run.code, run.stderr).toBe(0);
      const events = (await suite.redis().xrange(`${prefix}:flow-chunks:events`, '-', '+')).slice(before).map(([, fields]) => fields);
      const returned = events.filter((f) => f[1] === 'completed').map((f) => JSON.parse(f[f.indexOf('returnvalue') + 1]!) as { inline: string });
      const reasons = JSON.parse(readFileSync(report, 'utf8')).summary.execution.reasons as string[];
      return { tags: new Set(returned.map((r) => Buffer.from(r.inline, 'base64').subarray(0, 1).toString())), reason: reasons.at(-1) };
    };
    const on = await encodings({}, 'json-on');
    const off = await encodings({ FLOW_NO_QUEUE_JSON: '1' }, 'json-off');
    expect(on.tags).toEqual(new Set(['J']));
    expect(off.tags).toEqual(new Set(['V']));
    expect(off.reason).toContain('records come back v8-serialized: FLOW_NO_QUEUE_JSON=1');
    expect(readFileSync(path.join(out, 'json-off.ndjson'), 'utf8')).toBe(readFileSync(path.join(out, 'json-on.ndjson'), 'utf8'));
  });

  it('the window grows as workers join: a run started before them keeps twice their threads in flight', async () => {
    prefix = newPrefix();
    // About 35 chunks, each held 400 ms by one of its records.
    const project = queueProject({ slowIds: Array.from({ length: 40 }, (_, i) => 25 + 50 * i), ms: 400 });
    const run = startFlow(['run', 'pipeline.yaml', '-q', ...queued(prefix)], { cwd: project.dir });
    // The run is under way with no worker: its window (4) is full of waiting jobs.
    await planned(suite.redis(), prefix);
    for (const until = Date.now() + 20_000; (await suite.redis().llen(`${prefix}:flow-chunks:wait`)) < 4 && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 25));
    workers = await Promise.all([1, 2, 3].map(() => startWorker(prefix, { cwd: project.dir, threads: 2 })));
    let most = 0;
    for (let exited = false; !exited; await new Promise((r) => setTimeout(r, 50))) {
      const inFlight = (await suite.redis().llen(`${prefix}:flow-chunks:wait`)) + (await suite.redis().llen(`${prefix}:flow-chunks:active`));
      most = Math.max(most, inFlight);
      exited = run.process.exitCode !== null;
    }
    const done = await run.exited;
    expect(done.code, done.stderr).toBe(0);
    // Started with no worker: a window of 4; with 6 threads present, 12.
    expect(most).toBeGreaterThan(4);
  });

  it('a run with no worker present says so once (a plain line in CI), and none when a worker is there', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [], ms: 0 });
    const line = `[flow] waiting for flow workers on ${redisUrl.replace(/\/$/, '')} (prefix ${prefix})\n`;
    // startFlow sets CI: progress is plain lines on stderr.
    const run = startFlow(['run', 'pipeline.yaml', ...queued(prefix)], { cwd: project.dir });
    await run.waitFor(/waiting for flow workers/);
    // Still none for a few lookups (every 2 s): still said once.
    await new Promise((r) => setTimeout(r, 4500));
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const done = await run.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr.split(line).length - 1, done.stderr).toBe(1);
    const again = await runFlow(['run', 'pipeline.yaml', ...queued(prefix)], { cwd: project.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('[flow] run: done in');
    expect(again.stderr).not.toContain('waiting for flow workers');
  });

  it('two coordinators share two workers: both outputs are right', async () => {
    prefix = newPrefix();
    workers = [await startWorker(prefix), await startWorker(prefix)];
    const [x, y] = await Promise.all([
      runFlow([
        'run',
        'pipelines/flights-by-origin.yaml',
        '-q',
        '-o',
        path.join(out, 'two-a.json'),
        '--report',
        path.join(out, 'two-a.report.json'),
        ...queued(prefix),
      ]),
      runFlow(['run', 'pipelines/late-flights.yaml', '-q', '-o', path.join(out, 'two-b.ndjson'), ...queued(prefix)]),
    ]);
    expect(x.code, x.stderr).toBe(0);
    expect(y.code, y.stderr).toBe(0);
    await runFlow(['run', 'pipelines/flights-by-origin.yaml', '-q', '-o', path.join(out, 'two-a.local.json')]);
    await runFlow(['run', 'pipelines/late-flights.yaml', '-q', '-o', path.join(out, 'two-b.local.ndjson')]);
    expect(readFileSync(path.join(out, 'two-a.json'), 'utf8')).toBe(readFileSync(path.join(out, 'two-a.local.json'), 'utf8'));
    expect(readFileSync(path.join(out, 'two-b.ndjson'), 'utf8')).toBe(readFileSync(path.join(out, 'two-b.local.ndjson'), 'utf8'));
    // Both workers took chunks of the 3M-row run.
    const report = JSON.parse(readFileSync(path.join(out, 'two-a.report.json'), 'utf8'));
    expect(report.summary.queue.workers).toHaveLength(2);
    expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
  });

  it('SIGTERM to a worker finishes the chunk in hand and exits 0; the run completes with the other', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [700], ms: 2000 });
    workers = [await startWorker(prefix, { cwd: project.dir }), await startWorker(prefix, { cwd: project.dir })];
    const reference = await runFlow(['run', 'pipeline.yaml', '-q', '--set', 'slow=0', '-o', 'out/reference.ndjson'], { cwd: project.dir });
    expect(reference.code, reference.stderr).toBe(0);
    const run = startFlow(['run', 'pipeline.yaml', '-q', '--report', 'report.json', ...queued(prefix)], { cwd: project.dir });
    const pid = await project.waitForHolder(700);
    const holder = workers.find((w) => w.process.pid === pid)!;
    holder.process.kill('SIGTERM');
    const [stopped, done] = await Promise.all([holder.exited, run.exited]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toMatch(/SIGTERM: finishing the chunks in hand[\s\S]*stopped/);
    expect(done.code, done.stderr).toBe(0);
    // Its chunk was finished by it, not run again elsewhere.
    expect(project.againBy(700)).toEqual([]);
    expect(readFileSync(path.join(project.dir, 'out/result.ndjson'), 'utf8')).toBe(readFileSync(path.join(project.dir, 'out/reference.ndjson'), 'utf8'));
  });
});

describe('flow worker', () => {
  it('--help names its options', async () => {
    const help = await runFlow(['worker', '--help'], { cwd: root });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('flow worker --queue URL [--threads N] [--queue-prefix P]');
  });

  it('refuses a URL that is not redis://', async () => {
    const run = await runFlow(['worker', '--queue', 'http://localhost:6379']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--queue http://localhost:6379: expected a redis:// or rediss:// URL');
  });
});
