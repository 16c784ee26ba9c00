// Faults of runs on `flow worker`s through the real CLI and a real Redis (issue 12): a worker killed
// or stopped while it holds a chunk, a chunk past its timeout, bad records, a record that cannot be
// sent back, a completion whose event is lost. Stall timings are short (helpers/redis.ts fastStalls)
// so that a dead worker's chunk is taken over within seconds. Refusals and Redis: worker-refusals.
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../helpers/cli.js';
import { queueProject, type QueueProject } from '../../../helpers/queue-project.js';
import { keysOf, queueTests, newPrefix, redisUrl, runKeys, startFlow, startWorker, type Child } from '../../../helpers/redis.js';

const suite = queueTests();
let prefix: string;
let workers: Child[] = [];

const queued = (url = redisUrl) => ['--queue', url, '--queue-prefix', prefix];
const result = (project: QueueProject, file = 'out/result.ndjson') => readFileSync(path.join(project.dir, file), 'utf8');

async function reference(project: QueueProject, file = 'out/reference.ndjson'): Promise<string> {
  const run = await runFlow(['run', 'pipeline.yaml', '-q', '--set', 'slow=0', '-o', file], { cwd: project.dir });
  expect(run.code, run.stderr).toBe(0);
  return result(project, file);
}

/** A project whose pipeline `name.yaml` runs the retries fixture's fault step (test/fixtures/retries/steps/fault.mjs). */
function faultProject(name: string, fault: string, ids: number[], times: number, extra = ''): QueueProject {
  const project = queueProject({ slowIds: [], ms: 0 });
  cpSync(path.join(root, 'test/fixtures/retries/steps/fault.mjs'), path.join(project.dir, 'steps/fault.mjs'));
  const yaml = `source: { step: file, with: { path: data.ndjson } }\nchunking: { bytes: 2048 }\n${extra}map:\n  - step: ./steps/fault.mjs\n    with: { fault: ${fault}, ids: [${ids.join(', ')}], times: ${times} }\n`;
  writeFileSync(path.join(project.dir, `${name}.yaml`), yaml);
  return project;
}

describe('a worker that dies or stalls', () => {
  it('SIGKILL of the worker holding a chunk: the other takes it over, same bytes, one retry counted', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [700], ms: 60_000 });
    const expected = await reference(project);
    workers = [await startWorker(prefix, { cwd: project.dir }), await startWorker(prefix, { cwd: project.dir })];
    const run = startFlow(['run', 'pipeline.yaml', '-q', '--report', 'report.json', ...queued()], { cwd: project.dir });
    const pid = await project.waitForHolder(700);
    const [killed, survivor] = workers[0]!.process.pid === pid ? [workers[0]!, workers[1]!] : [workers[1]!, workers[0]!];
    killed.process.kill('SIGKILL');
    const done = await run.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(result(project)).toBe(expected);
    expect(project.againBy(700)).toEqual([survivor.process.pid]);
    const report = JSON.parse(readFileSync(path.join(project.dir, 'report.json'), 'utf8'));
    expect(report.retries).toBe(1);
    const ran = new Map((report.summary.queue.workers as Array<{ name: string; chunks: number }>).map((w) => [w.name.split(':').pop(), w.chunks]));
    expect([...ran.values()].reduce((a, b) => a + b, 0)).toBe(report.summary.chunks);
    expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
  });

  it("a late completion from a worker that lost its lock is ignored (BullMQ's lock token)", async () => {
    prefix = newPrefix();
    // Record 700 holds worker A for 3 s; the next chunk's record 760 keeps the run going 12 s on B.
    const project = queueProject({ slowIds: [700, 760], ms: 3000, reduce: false });
    const expected = await reference(project);
    workers = [await startWorker(prefix, { cwd: project.dir }), await startWorker(prefix, { cwd: project.dir })];
    const run = startFlow(['run', 'pipeline.yaml', '-q', '--set', 'slow=3000', '--report', 'report.json', ...queued()], { cwd: project.dir });
    const pid = await project.waitForHolder(700);
    const [stopped, other] = workers[0]!.process.pid === pid ? [workers[0]!, workers[1]!] : [workers[1]!, workers[0]!];
    stopped.process.kill('SIGSTOP');
    // Its lock expires, the job fails as stalled, the coordinator runs it again on B.
    for (const until = Date.now() + 20_000; project.againBy(700).length === 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
    expect(project.againBy(700)).toEqual([other.process.pid]);
    stopped.process.kill('SIGCONT');
    // A finishes its chunk (what is left of its 3 s) and tries to complete it: refused, as its lock is gone.
    await stopped.waitFor(/Lock mismatch for job [0-9a-z]+-\d+\. Cmd moveToFinished/, 15_000);
    const done = await run.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(result(project)).toBe(expected);
    const report = JSON.parse(readFileSync(path.join(project.dir, 'report.json'), 'utf8'));
    const counted = (report.summary.queue.workers as Array<{ chunks: number }>).reduce((a, w) => a + w.chunks, 0);
    expect(counted).toBe(report.summary.chunks);
    expect(report.retries).toBe(1);
  });
});

describe('retries and on-error', () => {
  it('a chunk past chunk-timeout on its worker is run again (retries), same bytes', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [700], ms: 60_000, extra: ['retries: { attempts: 2, chunk-timeout: 2s }'] });
    const expected = await reference(project);
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const run = await runFlow(['run', 'pipeline.yaml', '-q', '--report', 'report.json', ...queued()], { cwd: project.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(result(project)).toBe(expected);
    expect(JSON.parse(readFileSync(path.join(project.dir, 'report.json'), 'utf8')).retries).toBe(1);
    // The worker ended the thread that held record 700; the second attempt met it again.
    expect(project.againBy(700)).toEqual([workers[0]!.process.pid]);
  });

  it('a bad record follows on-error and is never retried: the same output and dead-letter file as locally', async () => {
    prefix = newPrefix();
    const extra = ['on-error: { action: dead-letter, dead-letter: out/rejects.ndjson }'];
    const project = queueProject({ slowIds: [], ms: 0, extra, insert: { after: 500, lines: ['{"id": oops', '{"id": 2.5, "k": 1}'] } });
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const local = await runFlow(['run', 'pipeline.yaml', '-q', '-o', 'out/local.ndjson'], { cwd: project.dir });
    expect(local.code, local.stderr).toBe(0);
    const localRejects = readFileSync(path.join(project.dir, 'out/rejects.ndjson'), 'utf8');
    const run = await runFlow(['run', 'pipeline.yaml', '-q', '--report', 'report.json', ...queued()], { cwd: project.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(result(project)).toBe(readFileSync(path.join(project.dir, 'out/local.ndjson'), 'utf8'));
    expect(readFileSync(path.join(project.dir, 'out/rejects.ndjson'), 'utf8')).toBe(localRejects);
    expect(localRejects).toContain('"line":501');
    const report = JSON.parse(readFileSync(path.join(project.dir, 'report.json'), 'utf8'));
    expect(report.retries).toBe(0);
  });

  it('a record that cannot be sent back fails the run naming it, as locally (run once more with sendable, not retried)', async () => {
    prefix = newPrefix();
    const project = faultProject('unsendable', 'function', [700], 9);
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const local = await runFlow(['run', 'unsendable.yaml', '-q'], { cwd: project.dir });
    rmSync(path.join(project.dir, 'markers'), { recursive: true, force: true });
    const run = await runFlow(['run', 'unsendable.yaml', '-q', ...queued()], { cwd: project.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(local.stderr);
    expect(run.stderr).toContain('a record it returned cannot be sent between threads');
    expect(run.stderr).toContain('at data.ndjson:700');
  });

  it('a step that always ends its thread: exit 1 after its attempts, each naming the step the thread was in', async () => {
    prefix = newPrefix();
    const project = faultProject('exits', 'exit', [700], 9, 'retries: { attempts: 2 }\n');
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const run = await runFlow(['run', 'exits.yaml', '-q', ...queued()], { cwd: project.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /failed all 2 attempts, each time: its worker thread died: worker exited with code: 3 \(in map\[0\] \(\.\/steps\/fault\.mjs\)\)\n/,
    );
  });

  it("a step's timer that throws after its chunk's result: exit 1 naming the step and the worker, as locally, no output", async () => {
    prefix = newPrefix();
    // Record 2000 is in the run's last chunk: its timer fires 150 ms after every result is in.
    const project = faultProject('late', 'late', [2000], 1);
    appendFileSync(path.join(project.dir, 'late.yaml'), 'output: { step: file, with: { path: out/late.ndjson } }\n');
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const local = await runFlow(['run', 'late.yaml', '-q'], { cwd: project.dir });
    expect(local.code).toBe(1);
    rmSync(path.join(project.dir, 'markers'), { recursive: true, force: true });
    const run = await runFlow(['run', 'late.yaml', '-q', '--report', 'report.json', ...queued()], { cwd: project.dir });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('an uncaught error in a timer or callback: too late (on flow worker ');
    expect(run.stderr).toContain('map[0] (./steps/fault.mjs)');
    expect(existsSync(path.join(project.dir, 'out/late.ndjson'))).toBe(false);
    const report = JSON.parse(readFileSync(path.join(project.dir, 'report.json'), 'utf8'));
    expect(report.status).toBe('failed');
    expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
  });

  it('with on-error fail a bad record fails the run at its file:line, as locally, never retried', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [], ms: 0, insert: { after: 500, lines: ['{"id": oops'] } });
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const local = await runFlow(['run', 'pipeline.yaml', '-q'], { cwd: project.dir });
    const run = await runFlow(['run', 'pipeline.yaml', '-q', '--report', 'report.json', ...queued()], { cwd: project.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(local.stderr);
    expect(run.stderr).toContain('data.ndjson:501');
    expect(JSON.parse(readFileSync(path.join(project.dir, 'report.json'), 'utf8')).retries).toBe(0);
  });
});

describe('a completion whose event is lost', () => {
  it('(the events stream trimmed while the coordinator was stopped): its chunk is run again, same bytes', async () => {
    prefix = newPrefix();
    const project = queueProject({ slowIds: [700], ms: 1500 });
    const expected = await reference(project);
    workers = [await startWorker(prefix, { cwd: project.dir })];
    const env = { FLOW_QUEUE_LOST_MS: '300' };
    const run = startFlow(['run', 'pipeline.yaml', '-q', '--set', 'slow=1500', '--report', 'report.json', ...queued()], { cwd: project.dir, env });
    await project.waitForHolder(700);
    run.process.kill('SIGSTOP');
    // The worker finishes the chunks in hand; their completions are then trimmed away unread.
    await new Promise((r) => setTimeout(r, 2500));
    await suite.redis().xtrim(`${prefix}:flow-chunks:events`, 'MAXLEN', 0);
    run.process.kill('SIGCONT');
    const done = await run.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(result(project)).toBe(expected);
    const report = JSON.parse(readFileSync(path.join(project.dir, 'report.json'), 'utf8'));
    expect(report.retries).toBeGreaterThan(0);
  });
});
