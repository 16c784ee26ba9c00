// The piscina pool: one thread per worker slot, fed only by dispatch's credit window.
import { createRequire } from 'node:module';
import type { Piscina as PiscinaClass } from 'piscina';
import { FlowError } from '../../contract/errors.js';
import { bundled, distUrl } from '../../contract/package.js';
import type { ChunkResult, ChunkTask, WorkerPlan } from '../messages.js';
import { fastPathOn } from '../../contract/fast-paths.js';
import { sharedTexts } from './shared-text.js';
import { carriedBytes } from '../carried.js';

export interface ChunkPool {
  readonly threads: number;
  run(task: ChunkTask, signal?: AbortSignal): Promise<ChunkResult>;
  /** Rejects when the pool itself fails outside any task during a run; never resolves. */
  readonly failed?: Promise<never>;
  /** After the last chunk: a step's asynchronous failure that came after its chunk's result, if any. */
  settle?(): Promise<FlowError | undefined>;
  destroy(): Promise<void>;
}

// Required when a pool is made, so a run that never starts threads (and the CLI bundle) never loads it.
const require = createRequire(import.meta.url);
const piscina = () => (require('piscina') as { Piscina: typeof PiscinaClass }).Piscina;

export function createPool(plan: WorkerPlan, threads: number, env: NodeJS.ProcessEnv = process.env): ChunkPool {
  const pool = startThreads(plan, threads);
  return chunkPool(pool, env, { destroy: () => pool.destroy() });
}

/**
 * Threads kept for run after run (flow test: two runs a test, each of a few records, where starting
 * two threads is most of the time): each run's tasks carry its plan, which a thread sets up when it
 * changes. A run that ends with chunks still running (it failed) takes the threads with it.
 */
export interface SharedPool {
  /** A run's pool on the shared threads (started now if there are none, or too few or too many). */
  forPlan(plan: WorkerPlan, threads: number, env?: NodeJS.ProcessEnv): ChunkPool;
  close(): Promise<void>;
}

export function createSharedPool(): SharedPool {
  let shared: { pool: PiscinaClass<ChunkTask, ChunkResult>; threads: number } | undefined;
  let runs = 0;
  const drop = async () => {
    const gone = shared;
    shared = undefined;
    await gone?.pool.destroy();
  };
  return {
    forPlan(plan, threads, env = process.env) {
      if (shared && shared.threads !== threads) void drop();
      const { pool } = (shared ??= { pool: startThreads(null, threads), threads });
      const id = ++runs;
      let running = 0;
      return chunkPool(pool, env, {
        plan: { id, plan },
        started: () => running++,
        ended: () => running--,
        // A chunk of a failed run may still be running, or stuck: its threads go, the next run starts new ones.
        destroy: () => (running > 0 && shared?.pool === pool ? drop() : Promise.resolve()),
      });
    },
    close: drop,
  };
}

function startThreads(plan: WorkerPlan | null, threads: number): PiscinaClass<ChunkTask, ChunkResult> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const Piscina = piscina();
  const pool = new Piscina<ChunkTask, ChunkResult>({
    filename: distUrl(bundled ? 'bundle/worker.js' : 'engine/execution/pool/worker.js'),
    minThreads: threads,
    maxThreads: threads,
    workerData: plan,
    // The engine's own window (two chunks per thread, each with one attempt at a time) keeps the queue
    // short; piscina's never has to hold more than that, even while a dead thread's replacement starts
    // ('auto', threads squared, is 1 for one thread: a retry would be refused as "queue at limit").
    maxQueue: Math.max(threads ** 2, threads * 2),
    idleTimeout: 60_000,
    // Workers are only killed on failure; there is no task state to keep.
    closeTimeout: 1_000,
    resourceLimits: workerResourceLimits(),
  });
  // Each run listens while it runs (chunkPool); between a shared pool's runs there is no run to fail.
  pool.on('error', () => {});
  return pool;
}

interface RunOnThreads {
  /** On shared threads: the run's plan, carried by each task. */
  plan?: ChunkTask['plan'];
  started?: () => void;
  ended?: () => void;
  destroy: () => Promise<void>;
}

function chunkPool(pool: PiscinaClass<ChunkTask, ChunkResult>, env: NodeJS.ProcessEnv, run: RunOnThreads): ChunkPool {
  const texts = fastPathOn('sharedText', env) ? sharedTexts() : undefined;
  const feederFirst = fastPathOn('feederFirst', env);
  let destroying = false;
  let fail: (error: FlowError) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  // piscina's 'error' event: a thread failed with no task to blame (a throw outside any chunk). During a
  // run that fails the run, never just a warning. A task still running when a failed run destroys the
  // pool may answer after its port is gone: that one is expected, and ignored.
  const onError = (error: unknown) => {
    if (destroying) return;
    const reason = error instanceof Error ? error.message : String(error);
    fail(
      new FlowError({
        code: 'WORKER_DIED',
        message: `a worker thread failed outside any chunk: ${reason}`,
        hint: 'a step threw or exited after its chunk was done',
      }),
    );
  };
  pool.on('error', onError);
  const submit = (task: ChunkTask, signal?: AbortSignal): Promise<ChunkResult> => {
    run.started?.();
    return pool.run(run.plan ? { ...task, plan: run.plan } : task, signal ? { signal } : {}).finally(() => run.ended?.());
  };
  return {
    threads: pool.options.maxThreads,
    failed,
    run(given, signal) {
      // A chunk whose bytes the main thread cut: its thread yields to that feeder (feeder-first.ts).
      const task = feederFirst && carriedBytes(given.chunk) ? { ...given, feederFirst: true } : given;
      if (!texts) return submit(task, signal);
      const shipped = texts.ship(task);
      return submit(shipped.task, signal).finally(shipped.release);
    },
    async settle() {
      // One task per thread (worker.ts settle): a timer that throws after the last chunk is seen too.
      const task = { arrived: new SharedArrayBuffer(4), threads: pool.threads.length };
      const late = await Promise.all(pool.threads.map(() => pool.run(task as never, { name: 'settle' }) as Promise<ChunkResult | null>));
      const found = late.find((result) => result?.type === 'error');
      return found?.type === 'error' ? new FlowError(found.error) : undefined;
    },
    destroy: () => {
      destroying = true;
      pool.off('error', onError);
      return run.destroy();
    },
  };
}

/** FLOW_WORKER_MAX_HEAP_MB caps each worker's heap: a runaway step then kills its worker, not the machine. */
// Records and texts die young: a small nursery keeps a worker's RSS flat however long the run
// (V8 otherwise grows it to 48 MB per thread). Measured here: the same speed, and the map-only
// flights pipeline peaks at about 220 MiB instead of 330 MiB.
const YOUNG_GENERATION_MB = 6;

export function workerResourceLimits(): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb?: number } {
  const mb = Number(process.env.FLOW_WORKER_MAX_HEAP_MB);
  return { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...(Number.isInteger(mb) && mb > 0 ? { maxOldGenerationSizeMb: mb } : {}) };
}
