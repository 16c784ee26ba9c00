// `flow worker`: takes chunk jobs from the queue and runs them on this machine's threads, for any
// number of runs and coordinators at once, until closed (close() finishes the chunks in hand).
import { createRequire } from 'node:module';
import type { Job, Worker as WorkerClass } from 'bullmq';
import { FlowError } from '../../contract/errors.js';
import { stepLabel } from '../../contract/plan.js';
import type { ChunkResult, ChunkTask, EncodedResult } from '../messages.js';
import { decode, encodeResult, type JobData, type JobReturn } from './codec.js';
import { connect, redisClient } from './connection.js';
import { refusalReason } from './failures.js';
import { checkInputs, chunkInputs } from './inputs.js';
import { mapPaths, workerPlaces } from './paths.js';
import { announce } from './presence.js';
import { Refusal, runCache, shownFrom, type RunState } from './runs.js';
import { answerSettles } from './settle.js';
import { markedStep, newStepMarker } from '../step-marker.js';
import { coordinatorTimings, INLINE_BYTES, QUEUE_NAME, resultKey, runKey, workerTimings, type QueueSettings } from './settings.js';

const require = createRequire(import.meta.url);

export interface QueueWorkerOptions extends QueueSettings {
  threads: number;
  /** The pipeline's project folder on this machine. */
  cwd: string;
  name: string;
  env: NodeJS.ProcessEnv;
  /** A line for the worker's log (stderr). */
  log(line: string): void;
}

export interface QueueWorker {
  /** Takes no more jobs, waits for those in hand, closes the threads and the connections. */
  close(): Promise<void>;
  /** Rejects if the worker stops taking jobs by itself (BullMQ's loop failed); never resolves. */
  readonly ended: Promise<never>;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const { url, prefix, name, threads, env, log } = options;
  const { Worker, UnrecoverableError } = require('bullmq') as typeof import('bullmq');
  const { lockMs, stalledMs, poolIdleMs } = workerTimings(env);
  const { waitMs, ttlMs } = coordinatorTimings(env);
  const client = redisClient(url);
  await connect(client, url, waitMs);
  const here = workerPlaces(options.cwd);
  const runs = runCache(client, prefix, here, threads, poolIdleMs);
  const shown = shownFrom(here.root);
  const seen = new Set<string>();

  const refuse = (error: FlowError, runId: string) => {
    if (!seen.has(`refused:${runId}`)) log(`run ${runId}: ${error.message}`);
    seen.add(`refused:${runId}`);
    return new UnrecoverableError(refusalReason(error, name));
  };

  const processor = async (job: Job<JobData, JobReturn>): Promise<JobReturn> => {
    const { runId, index } = job.data;
    try {
      return await runs.with(runId, async (run) => {
        if (run.broken) throw new Refusal(run.broken);
        if (!seen.has(runId)) log(`run ${runId}: taking its chunks`);
        seen.add(runId);
        const task = mapPaths(decode<ChunkTask>(job.data.task), run.from, here);
        checkInputs(chunkInputs(task.chunk, run.inputs), shown);
        const bytes = Buffer.from(await runChunk(run, task));
        if (bytes.length <= INLINE_BYTES) return { worker: name, inline: bytes.toString('base64') };
        // A late duplicate (a worker that lost its lock) would write the same bytes: results are deterministic.
        // A run that is over (interrupted, failed) gets no key that nobody would read.
        const key = resultKey(prefix, runId, index);
        if ((await client.exists(runKey(prefix, runId))) === 1) await client.set(key, bytes, 'PX', ttlMs);
        return { worker: name, key };
      });
    } catch (error) {
      if (error instanceof Refusal) throw refuse(error.error, runId);
      if (error instanceof FlowError && error.code === 'INPUT_CHANGED') throw refuse(error, runId);
      throw error;
    }
  };

  // maxStalledCount 0: a job whose worker stopped renewing its lock fails at once, and the coordinator's
  // retry.ts decides on another attempt, counting it with the pipeline's `retries` like a dead thread.
  const worker: WorkerClass = new Worker(QUEUE_NAME, processor, {
    connection: client,
    prefix,
    // As many jobs in hand as threads, never more: a job held in reserve would die with its worker
    // and cost its chunk an attempt it never started.
    concurrency: threads,
    name,
    lockDuration: lockMs,
    stalledInterval: stalledMs,
    maxStalledCount: 0,
    autorun: false,
  });
  worker.on('error', (error) => log(`queue error: ${error.message}`));
  const leave = announce(client, prefix, name, threads);
  const stopAnswering = await answerSettles(client, prefix, name, (runId) => runs.settle(runId), ttlMs);
  let end: (error: unknown) => void = () => {};
  const ended = new Promise<never>((_, reject) => (end = reject));
  ended.catch(() => {});
  void worker.run().catch((error: unknown) => end(error));
  await worker.waitUntilReady();

  return {
    ended,
    async close() {
      await worker.close();
      await runs.closeAll();
      stopAnswering();
      await leave();
      client.disconnect();
    },
  };
}

/** The chunk's result, encoded by its thread (pool/worker.ts). */
async function runChunk(run: RunState, task: ChunkTask): Promise<Uint8Array> {
  const encode = run.json ? 'json' : 'v8';
  const result = await runOnce(run, { ...task, encode }).catch((error: unknown) => {
    // A result that cannot be cloned fails the same way every time: once more with each record cloned
    // on the way, so that the record is named or rejected (pool/sendable.ts), as on a local run.
    if ((error as { unsendable?: unknown } | null)?.unsendable !== true) throw error;
    return runOnce(run, { ...task, encode, sendable: true });
  });
  // A thread that could not encode it hands back the result itself.
  return result.type === 'encoded' ? result.bytes : encodeResult(result, run.json);
}

/** One attempt on the run's threads, abandoned (its thread ended) past the run's chunk-timeout. */
async function runOnce(run: RunState, task: ChunkTask): Promise<ChunkResult | EncodedResult> {
  // No more jobs in hand than threads: the chunk starts at once, and the clock measures its own run.
  const controller = new AbortController();
  const timer = run.chunkTimeoutMs === undefined ? undefined : setTimeout(() => controller.abort(), run.chunkTimeoutMs);
  const marker = newStepMarker();
  try {
    return (await run.pool.run({ ...task, marker }, controller.signal)) as ChunkResult | EncodedResult;
  } catch (error) {
    // The plugin step the thread was in, for the coordinator's message (the marker does not travel).
    const at = markedStep(marker);
    const step = at === undefined ? undefined : run.plan.map[at];
    const where = step ? ` (in ${stepLabel(step)})` : '';
    if (controller.signal.aborted) throw new Error(`chunk ${task.chunk.index} ran past chunk-timeout (${run.chunkTimeoutMs} ms)${where}`, { cause: error });
    if (where && error instanceof Error) error.message += where;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
