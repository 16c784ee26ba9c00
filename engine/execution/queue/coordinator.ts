// The chunk pool of `flow run --queue URL`: each chunk becomes a BullMQ job that any `flow worker`
// takes; its result comes back through the queue's events. Dispatch, retries, merging, checks and
// output stay as they are: this is a third implementation of ChunkPool, nothing more.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Queue as QueueClass, QueueEvents as QueueEventsClass } from 'bullmq';
import type { ResolvedStep, Retries } from '../../contract/plan.js';
import type { ChunkResult, ChunkTask, WorkerPlan } from '../messages.js';
import type { ChunkPool } from '../pool/pool.js';
import { decodeResult, encode, type JobData, type JobReturn } from './codec.js';
import { fastPathOn, fastPaths } from '../../contract/fast-paths.js';
import { connect, redisClient, watchConnection } from './connection.js';
import { fingerprint } from './fingerprint.js';
import { stampInputs } from './inputs.js';
import { coordinatorPlaces } from './paths.js';
import type { RunRecord } from './run-record.js';
import { coordinatorTimings, jobId, QUEUE_NAME, queueWindow, resultKey, runKey, shownUrl, workerRetries, type QueueSettings } from './settings.js';
import { threadsSeen, waitingNotice } from './presence.js';
import { watchLostEvents } from './lost-events.js';
import { refusedStream, workerFailure } from './failures.js';
import { spillArrived } from '../checks/arrived.js';
import { settleWorkers } from './settle.js';

const require = createRequire(import.meta.url);

export interface QueuePoolOptions extends QueueSettings {
  plan: WorkerPlan;
  /** The source's files (Schedule.inputs): stamped now, checked by workers before they read. */
  inputs?: Array<{ path: string }>;
  retries: Retries;
  env: NodeJS.ProcessEnv;
  /** A line for the progress display (`waiting for flow workers on ...`). */
  notice?: (line: string) => void;
}

export interface QueueSummary {
  /** Without its password. */
  url: string;
  /** The workers that ran chunks of the run (hostname:pid), and how many each. */
  workers: Array<{ name: string; chunks: number }>;
}

export interface QueuePool extends ChunkPool {
  readonly runId: string;
  /** Where the chunks go and how records come back, for the plan's reasons. */
  readonly reason: string;
  summary(): QueueSummary;
}

interface Waiting {
  resolve(result: ChunkResult): void;
  reject(error: unknown): void;
}

export async function createQueuePool(options: QueuePoolOptions): Promise<QueuePool> {
  const { url, prefix, plan, env } = options;
  const { Queue, QueueEvents } = require('bullmq') as typeof import('bullmq');
  const { waitMs, ttlMs, lostMs, settleMs } = coordinatorTimings(env);
  const runId = `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
  const client = redisClient(url);
  await connect(client, url, waitMs);
  const listener = redisClient(url);
  await connect(listener, url, waitMs).catch(async (error: unknown) => {
    client.disconnect();
    throw error;
  });

  // A failure while the run is set up closes both connections (the caller has no pool to destroy).
  const guard = <T>(step: Promise<T>): Promise<T> =>
    step.catch((error: unknown) => {
      client.disconnect();
      listener.disconnect();
      throw error;
    });

  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  let broken: unknown;
  const waiting = new Map<string, Waiting>();
  const breakRun = (error: unknown) => {
    if (broken !== undefined) return;
    broken = error;
    fail(error);
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const unwatch = [client, listener].map((c) => watchConnection(c, url, waitMs, breakRun));

  const places = coordinatorPlaces(plan.context.pipelineDir);
  // Workers keep a unique check's keys in memory and send them with the chunk: the spill folder is this machine's.
  const { checkSpill, ...shipped } = plan;
  const planBytes = encode(shipped);
  const record: RunRecord = {
    plan: planBytes,
    places,
    fingerprint: fingerprint(shipped, planBytes, places),
    inputs: stampInputs(options.inputs),
    ...workerRetries(options.retries),
    json: fastPathOn('queueJson', env),
  };
  await guard(client.set(runKey(prefix, runId), JSON.stringify(record), 'PX', ttlMs));

  // Events from now on only: the stream's last id, read before any job of this run exists.
  const eventsKey = `${prefix}:${QUEUE_NAME}:events`;
  const last = await guard(client.xrevrange(eventsKey, '+', '-', 'COUNT', 1));
  // A short block: BullMQ's watchdog timer on a read is the block plus 1 s, and it holds the process open
  // that long after a failed run closed its connections (10 s by default).
  const events: QueueEventsClass = new QueueEvents(QUEUE_NAME, { connection: listener, prefix, lastEventId: last[0]?.[0] ?? '0-0', blockingTimeout: 1000 });
  const queue: QueueClass = new Queue(QUEUE_NAME, { connection: client, prefix });
  for (const emitter of [events, queue]) (emitter as unknown as NodeJS.EventEmitter).on('error', () => {});
  const ran = new Map<string, number>();
  const ours = `${runId}-`;

  events.on('completed', ({ jobId: id, returnvalue }) => {
    const w = id.startsWith(ours) ? waiting.get(id) : undefined;
    if (!w) return;
    waiting.delete(id);
    const back = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as JobReturn;
    ran.set(back.worker, (ran.get(back.worker) ?? 0) + 1);
    const index = Number(id.slice(ours.length));
    resultOf(back, index).then(w.resolve, w.reject);
  });
  events.on('failed', ({ jobId: id, failedReason }) => {
    const w = id.startsWith(ours) ? waiting.get(id) : undefined;
    if (!w) return;
    waiting.delete(id);
    const refusal = workerFailure(failedReason);
    // A worker refused the run (its code or the data differ): no retry can help.
    if (refusal) return breakRun(refusal);
    // The worker died (stalled), or the chunk ran past its timeout: retry.ts decides on another attempt.
    w.reject(new Error(failedReason === 'job stalled more than allowable limit' ? 'its worker stopped answering (died or lost Redis)' : failedReason));
  });
  await guard(events.waitUntilReady());

  async function resultOf(back: JobReturn, index: number): Promise<ChunkResult> {
    const result = await arrived(back, index);
    if (checkSpill !== undefined && result.checks) spillArrived(result.checks, checkSpill);
    return result;
  }

  async function arrived(back: JobReturn, index: number): Promise<ChunkResult> {
    if (back.inline !== undefined) return decodeResult(Buffer.from(back.inline, 'base64'));
    const key = resultKey(prefix, runId, index);
    const [[, bytes]] = (await client.multi().getBuffer(key).del(key).exec()) as [[unknown, Buffer | null]];
    if (!bytes) throw new Error(`the result of chunk ${index} is gone from ${key}`);
    return decodeResult(bytes);
  }

  // The window follows the workers present: twice their threads, looked up again every 2 s.
  const present = waitingNotice(options.notice, shownUrl(url), prefix);
  let window = queueWindow(present(await guard(threadsSeen(client, prefix))), env);
  const sizing = setInterval(() => {
    threadsSeen(client, prefix).then(
      (seen) => void (window = queueWindow(present(seen), env)),
      () => {},
    );
  }, 2000);
  sizing.unref();
  const unwatchLost = watchLostEvents(
    queue,
    () => [...waiting.keys()],
    (id) => {
      const w = waiting.get(id);
      waiting.delete(id);
      w?.reject(new Error('its completion was not seen (the queue events stream was trimmed past it)'));
    },
    lostMs,
  );
  let closed = false;

  return {
    runId,
    reason: `queue: the chunks go to flow workers through ${shownUrl(url)}; ${record.json ? 'map-only records come back as JSON when JSON keeps them exactly' : `records come back v8-serialized: ${fastPaths.queueJson}=1`}`,
    // dispatch's window is twice the threads: the queue's window, halved.
    get threads() {
      return Math.max(1, Math.floor(window / 2));
    },
    failed,
    run(task: ChunkTask, signal?: AbortSignal) {
      if (broken !== undefined) return Promise.reject(broken);
      const stream = refusedStream(task.chunk, plan.source as ResolvedStep);
      if (stream) {
        breakRun(stream);
        return Promise.reject(stream);
      }
      const id = jobId(runId, task.chunk.index);
      // The step marker is shared memory of this machine: a worker's threads mark their own (queue/worker.ts).
      const { marker: _local, ...portable } = task;
      const data: JobData = { runId, index: task.chunk.index, task: encode(portable) };
      return new Promise<ChunkResult>((resolve, reject) => {
        const onAbort = () => {
          waiting.delete(id);
          void queue.remove(id).catch(() => {});
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const done =
          <T>(settle: (v: T) => void) =>
          (v: T) => {
            signal?.removeEventListener('abort', onAbort);
            settle(v);
          };
        waiting.set(id, { resolve: done(resolve), reject: done(reject) });
        queue.add('chunk', data, { jobId: id, removeOnComplete: true, removeOnFail: true, attempts: 1 }).catch((error: unknown) => {
          waiting.delete(id);
          reject(error);
        });
      });
    },
    settle: () => settleWorkers(client, prefix, runId, [...ran.keys()], settleMs),
    summary: () => ({ url: shownUrl(url), workers: [...ran].map(([name, chunks]) => ({ name, chunks })).sort((a, b) => a.name.localeCompare(b.name)) }),
    async destroy() {
      if (closed) return;
      closed = true;
      clearInterval(sizing);
      for (const stop of [...unwatch, unwatchLost]) stop();
      // The run's jobs still waiting are removed by id (one that a worker holds ends on its own and is
      // removed when it completes); then every key of the run.
      const left = [...waiting.keys()];
      waiting.clear();
      if (client.status === 'ready') {
        await Promise.allSettled(left.map((id) => queue.remove(id)));
        await removeRunKeys(client, prefix, runId).catch(() => {});
      } else {
        // Redis is gone: BullMQ's close would wait for it. The record and results expire (FLOW_QUEUE_TTL_MS).
        client.disconnect();
        listener.disconnect();
      }
      await within(1000, Promise.allSettled([events.close(), queue.close()]));
      client.disconnect();
      listener.disconnect();
    },
  };
}

const within = (ms: number, work: Promise<unknown>) => Promise.race([work, new Promise((resolve) => setTimeout(resolve, ms).unref())]);

async function removeRunKeys(client: ReturnType<typeof redisClient>, prefix: string, runId: string): Promise<void> {
  const keys = [runKey(prefix, runId)];
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${runKey(prefix, runId)}:*`, 'COUNT', 1000);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  await client.del(...keys);
}
