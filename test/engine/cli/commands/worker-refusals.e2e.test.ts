// Refusals and Redis through the real CLI (issue 12): a worker whose code differs (a step file or a
// helper it imports), an input changed after planning, Redis stopped mid-run, absent or evicting, a
// stream source, and Ctrl-C on the coordinator. The faults of workers are in worker-faults.e2e.test.ts.
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../helpers/cli.js';
import { tempDirs } from '../../../helpers/temp.js';
import { queueProject } from '../../../helpers/queue-project.js';
import { keysOf, planned, queueTests, newPrefix, privateRedis, redisUrl, runKeys, startFlow, startWorker, type Child } from '../../../helpers/redis.js';

const suite = queueTests();
let prefix: string;
let workers: Child[] = [];

// Folders of this file's own (queueProject's are removed by queueTests).
const copyDir = tempDirs('flow-queue-copy-');
const gzDir = tempDirs('flow-queue-gz-');

const queued = (url = redisUrl) => ['--queue', url, '--queue-prefix', prefix];

/** Runs the project with one worker started in `copy`: the run fails naming `file` and that worker, nothing left. Its stderr. */
async function refusedFor(dir: string, copy: string, file: string): Promise<string> {
  workers = [await startWorker(prefix, { cwd: copy })];
  const run = await runFlow(['run', 'pipeline.yaml', '-q', ...queued()], { cwd: dir });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    `worker ${os.hostname()}:${workers[0]!.process.pid} refused the run: this machine does not run the same code: step file ${file}`,
  );
  expect(run.stderr).toMatch(new RegExp(`step file ${file.replaceAll('.', '\\.')} [0-9a-f]{12} here, [0-9a-f]{12} on the coordinator`));
  expect(existsSync(path.join(dir, 'out/result.ndjson'))).toBe(false);
  // A job the worker held when the coordinator left is removed by the worker as it refuses it: soon, not at once.
  let left = runKeys(await keysOf(suite.redis(), prefix), prefix);
  for (const until = Date.now() + 5000; left.length > 0 && Date.now() < until; left = runKeys(await keysOf(suite.redis(), prefix), prefix)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(left).toEqual([]);
  return run.stderr;
}

describe('a worker that refuses the run', () => {
  it('a worker whose local step file differs: exit 1 naming the file and the worker', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [], ms: 0 });
    const copy = copyDir();
    cpSync(project.dir, copy, { recursive: true });
    appendFileSync(path.join(copy, 'steps/slow.mjs'), '\n// changed on this machine\n');
    await refusedFor(project.dir, copy, 'steps/slow.mjs');
  });

  it('a worker whose imported helper module differs (the step file alike): exit 1 naming the helper', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [], ms: 0 });
    // The step imports a helper of the project; only the worker's copy of the helper differs.
    mkdirSync(path.join(project.dir, 'steps/lib'));
    writeFileSync(path.join(project.dir, 'steps/lib/note.mjs'), "export const note = 'same';\n");
    const step = path.join(project.dir, 'steps/slow.mjs');
    writeFileSync(step, `import { note } from './lib/note.mjs';\nvoid note;\n${readFileSync(step, 'utf8')}`);
    const copy = copyDir();
    cpSync(project.dir, copy, { recursive: true });
    writeFileSync(path.join(copy, 'steps/lib/note.mjs'), "export const note = 'changed on this machine';\n");
    const stderr = await refusedFor(project.dir, copy, 'steps/lib/note.mjs');
    expect(stderr).not.toContain('step file steps/slow.mjs');
  });

  it('an input changed after planning: exit 1 naming the file, the planned and the found size', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [], ms: 0 });
    const size = readFileSync(path.join(project.dir, 'data.ndjson')).length;
    // No worker yet: the coordinator plans and waits; the file changes; then a worker comes.
    const run = startFlow(['run', 'pipeline.yaml', '-q', ...queued()], { cwd: project.dir });
    await planned(suite.redis(), prefix);
    appendFileSync(path.join(project.dir, 'data.ndjson'), '{"id": 9999, "k": "x", "v": 1}\n');
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const done = await run.exited;
    expect(done.code).toBe(1);
    expect(done.stderr).toContain(`data.ndjson changed after the run was planned: planned ${size} bytes`);
    expect(done.stderr).toContain(`found ${size + 31} bytes`);
    expect(existsSync(path.join(project.dir, 'out/result.ndjson'))).toBe(false);
  });
});

describe('Redis', () => {
  it('stopped mid-run: the coordinator fails with exit 1 within the bounded wait, no output file', async () => {
    prefix = newPrefix();
    const server = await privateRedis();
    try {
      const project = queueProject({ slowIds: [700], ms: 60_000 });
      workers = [await startWorker(prefix, { cwd: project.dir, url: server.url })];
      const run = startFlow(['run', 'pipeline.yaml', '-q', ...queued(server.url)], { cwd: project.dir, env: { FLOW_QUEUE_WAIT_MS: '2000' } });
      await project.waitForHolder(700);
      await server.stop();
      const stoppedAt = Date.now();
      const done = await run.exited;
      expect(done.code, done.stderr).toBe(1);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      expect(done.stderr).toContain(`Redis at ${server.url} did not answer for 2 s`);
      expect(existsSync(path.join(project.dir, 'out/result.ndjson'))).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('not there at the start: exit 1 after the bounded wait', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [], ms: 0 });
    const run = await runFlow(['run', 'pipeline.yaml', '-q', ...queued('redis://127.0.0.1:1')], { cwd: project.dir, env: { FLOW_QUEUE_WAIT_MS: '1000' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Redis at redis://127.0.0.1:1 did not answer for 1 s');
    expect(existsSync(path.join(project.dir, 'out/result.ndjson'))).toBe(false);
  });

  it('with a maxmemory-policy that evicts keys: refused by the coordinator and by a worker', async () => {
    prefix = newPrefix();
    const server = await privateRedis(['--maxmemory', '100mb', '--maxmemory-policy', 'allkeys-lru']);
    try {
      const project = queueProject({ slowIds: [], ms: 0 });
      const run = await runFlow(['run', 'pipeline.yaml', '-q', ...queued(server.url)], { cwd: project.dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Redis at ${server.url} has maxmemory-policy allkeys-lru`);
      const worker = await runFlow(['worker', ...queued(server.url)], { cwd: project.dir });
      expect(worker.code).toBe(1);
      expect(worker.stderr).toContain('has maxmemory-policy allkeys-lru');
    } finally {
      await server.stop();
    }
  });
});

describe('the coordinator', () => {
  it('Ctrl-C removes the run waiting jobs and keys, exit 130', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [], ms: 0 });
    const run = startFlow(['run', 'pipeline.yaml', '-q', ...queued()], { cwd: project.dir });
    await planned(suite.redis(), prefix);
    for (const until = Date.now() + 10_000; (await suite.redis().llen(`${prefix}:flow-chunks:wait`)) === 0 && Date.now() < until;)
      await new Promise((r) => setTimeout(r, 25));
    expect(await suite.redis().llen(`${prefix}:flow-chunks:wait`)).toBeGreaterThan(0);
    run.process.kill('SIGINT');
    const done = await run.exited;
    expect(done.code).toBe(130);
    expect(await suite.redis().llen(`${prefix}:flow-chunks:wait`)).toBe(0);
    expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
  });

  it('refuses a streamed input (a .gz file): exit 2 at the source', async () => {
    prefix = newPrefix();
    const dir = gzDir();
    writeFileSync(path.join(dir, 'flights.ndjson.gz'), gzipSync('{"origin": "SEA"}\n{"origin": "JFK"}\n'));
    writeFileSync(path.join(dir, 'pipeline.yaml'), 'source:\n  step: file\n  with: { path: flights.ndjson.gz }\nreduce: count\n');
    workers = [await startWorker(prefix, { cwd: dir })];
    const run = await runFlow(['run', 'pipeline.yaml', '-q', ...queued()], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pipeline.yaml:2:');
    expect(run.stderr).toContain('flights.ndjson.gz is read as a stream, whose chunks carry their text');
  });
});
