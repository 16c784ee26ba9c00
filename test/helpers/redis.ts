// Redis for the queue's tests (issue 12): the server at REDIS_URL (default 127.0.0.1:6379), a key
// prefix per test, `flow worker` and `flow run --queue` as child processes, and a private
// redis-server for the tests that stop one. No Redis answering is a failure, never a skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { e2eOnly, flowBin, root, type FlowRun } from './cli.js';
import { removeProjects } from './queue-project.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A client of `url`; throws a clear message when nothing answers there within 3 s. */
export async function redisAt(url = redisUrl): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 3000 });
  // The failure is in connect()'s rejection; the event would only repeat it.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`no Redis answers at ${url} (${(error as Error).message}): start redis-server, or set REDIS_URL`, { cause: error });
  }
  return client;
}

// What the tests of a file made, for queueTests() to clean up after each test.
const made: string[] = [];
const started: Child[] = [];

/** A key prefix of the test's own, removed after the test (queueTests). */
export function newPrefix(): string {
  const prefix = `flowtest-${process.pid}-${randomBytes(4).toString('hex')}`;
  made.push(prefix);
  return prefix;
}

/**
 * The hooks of a file of queue tests: Redis connected first (the file fails when none answers), and
 * after each test the workers it started stopped and the prefixes it made removed.
 */
export function queueTests(): { redis(): Redis } {
  let client: Redis | undefined;
  beforeAll(async () => {
    client = await redisAt();
  });
  afterEach(async () => {
    await stopAll(started.splice(0));
    for (const prefix of made.splice(0)) await removeKeys(client!, prefix);
    removeProjects();
  });
  afterAll(() => client?.disconnect());
  return { redis: () => client! };
}

/** Every key under the prefix. */
export async function keysOf(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

export async function removeKeys(client: Redis, prefix: string): Promise<void> {
  const keys = await keysOf(client, prefix);
  if (keys.length > 0) await client.del(...keys);
}

/** The keys a run leaves behind: its record and results, and its jobs (`<runId>-<index>`). */
export const runKeys = (keys: string[], prefix: string) =>
  keys.filter((k) => k.startsWith(`${prefix}:run:`) || new RegExp(`^${prefix}:flow-chunks:[0-9a-z]+-\\d+`).test(k));

export interface Child {
  process: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Resolves when stderr matches. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  exited: Promise<FlowRun>;
}

/** `flow ARGS` as a child process, left running. */
export function startFlow(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Child {
  e2eOnly('startFlow (the built CLI)');
  const child = spawn(process.execPath, [flowBin, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve(): void }> = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const w of waiters.filter((w) => w.pattern.test(stderr))) w.resolve();
  });
  const exited = new Promise<FlowRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    process: child,
    stderr: () => stderr,
    stdout: () => stdout,
    waitFor: (pattern, ms = 20_000) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stderr)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no ${pattern} on stderr within ${ms} ms:\n${stderr}`)), ms);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then(() => reject(new Error(`exited before ${pattern}:\n${stderr}`)));
      }),
    exited,
  };
}

/** Waits until a coordinator has written its run's record (it has planned and is waiting for workers). */
export async function planned(client: Redis, prefix: string, ms = 20_000): Promise<void> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 25))) {
    if ((await keysOf(client, prefix)).some((k) => /:run:[0-9a-z]+$/.test(k))) return;
  }
  throw new Error('the coordinator wrote no run record');
}

/** Short stall timings, so that a dead worker's chunk is taken over within seconds. */
export const fastStalls = { FLOW_QUEUE_LOCK_MS: '2000', FLOW_QUEUE_STALLED_MS: '1000' };

/** A `flow worker` on `prefix`, ready (it has said it takes chunks). */
export async function startWorker(prefix: string, options: { threads?: number; cwd?: string; env?: NodeJS.ProcessEnv; url?: string } = {}): Promise<Child> {
  const args = ['worker', '--queue', options.url ?? redisUrl, '--queue-prefix', prefix, '--threads', String(options.threads ?? 1)];
  const worker = startFlow(args, { ...(options.cwd ? { cwd: options.cwd } : {}), env: { ...fastStalls, ...options.env } });
  started.push(worker);
  await worker.waitFor(/taking chunks from/);
  return worker;
}

/** Ends the workers still running (SIGKILL: nothing of theirs is under test any more). */
export async function stopAll(children: Child[]): Promise<void> {
  for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
}

/** A private redis-server on a free port, to stop or misconfigure. */
export async function privateRedis(extra: string[] = []): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', ...extra], { stdio: 'ignore' });
  const gone = new Promise<void>((resolve) => server.on('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      (await redisAt(url)).disconnect();
      break;
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      if (server.exitCode === null) server.kill('SIGKILL');
      await gone;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
