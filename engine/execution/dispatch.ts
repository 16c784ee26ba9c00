// Feeds chunk descriptors to the pool through a credit window and hands results back in chunk order,
// so the source never runs ahead of the pool and memory stays bounded whatever the input size. A chunk
// goes through its attempts (retry.ts) in its own place: a retried chunk never changes the order.
import type { Chunk, SourcePlan } from '../contract/step.js';
import type { Retries } from '../contract/plan.js';
import { interrupted } from '../contract/errors.js';
import { turnEventLoop } from './event-loop.js';
import { chunkFailed } from './failure.js';
import type { ChunkResult } from './messages.js';
import type { ChunkPool } from './pool/pool.js';
import { ChunkAttemptsFailed, createAttempts, type AttemptFailure } from './retry.js';

const TURN_MS = 5;

export interface DispatchOptions {
  pool: ChunkPool;
  chunks: SourcePlan['chunks'];
  /** Chunks in flight or waiting to be consumed; about two per thread keeps every thread busy. */
  window?: number;
  signal?: AbortSignal;
  /** Attempts per chunk and their timeout (Plan.retries); by default one attempt, no timeout. */
  retries?: Retries;
  /** Describes a chunk that failed every attempt (by default with the chunk's index only). */
  chunkFailed?(chunk: Chunk, failures: AttemptFailure[]): Error | Promise<Error>;
  /** Told of each failed attempt that is followed by another (the run's summary counts them). */
  onRetry?(chunk: Chunk, failure: AttemptFailure): void;
  /** Called once per chunk, strictly in chunk order; may be async (output backpressure). */
  consume(result: ChunkResult, chunk: Chunk): void | Promise<void>;
}

export async function dispatch(options: DispatchOptions): Promise<{ chunks: number }> {
  const { pool, consume, signal } = options;
  // Read at each chunk: a queue's threads grow as `flow worker`s join.
  const window = () => options.window ?? pool.threads * 2;
  const attempts = createAttempts(pool, options.retries ?? { attempts: 1 }, signal, options.onRetry);
  const pending = new Map<number, Promise<{ result: ChunkResult; chunk: Chunk }>>();
  let submitted = 0;
  let consumed = 0;

  // A pool that broke outside any chunk fails the run, even while a chunk is still waiting. One
  // listener for the whole run: Promise.race([next, pool.failed]) per chunk would hang each chunk's
  // result (a stream's chunk holds its text) on the never-settling pool.failed until the run ends.
  let broken: { error: unknown } | undefined;
  let failWaiting: ((error: unknown) => void) | undefined;
  pool.failed?.catch((error: unknown) => {
    broken = { error };
    failWaiting?.(error);
  });
  const orBroken = <T>(next: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (broken) return reject(broken.error);
      failWaiting = reject;
      next.then(resolve, reject);
    });

  const drainOne = async () => {
    const next = pending.get(consumed)!;
    pending.delete(consumed);
    const { result, chunk } = await (pool.failed ? orBroken(next) : next);
    failWaiting = undefined;
    consumed++;
    await consume(result, chunk);
  };

  let turned = performance.now();
  try {
    for await (const descriptor of options.chunks) {
      // Every few milliseconds: an in-process chunk runs synchronously, blind to signals.
      if (performance.now() - turned >= TURN_MS) {
        await turnEventLoop();
        turned = performance.now();
      }
      if (signal?.aborted) throw interrupted(signal.reason);
      while (submitted - consumed >= window()) await drainOne();
      const chunk: Chunk = { ...descriptor, index: submitted };
      const task = attempts.run(chunk).then(
        (result) => ({ result, chunk }),
        async (cause: unknown) => {
          if (signal?.aborted) throw interrupted(signal.reason);
          throw cause instanceof ChunkAttemptsFailed ? await (options.chunkFailed ?? chunkFailed)(chunk, cause.failures) : cause;
        },
      );
      // Rejections are observed when the chunk's turn comes; don't let them surface early as unhandled.
      task.catch(() => {});
      pending.set(submitted, task);
      submitted++;
    }
    while (consumed < submitted) await drainOne();
    // A step's timer or rejection after its thread's last chunk fails the run too, before it is declared ok.
    const late = await pool.settle?.();
    if (late) throw late;
    // A signal that came during the last chunks stops the run before its result is reduced and written.
    if (signal) await turnEventLoop();
    if (signal?.aborted) throw interrupted(signal.reason);
  } finally {
    // No attempt starts after this; on failure the caller destroys the pool, which ends those running.
    attempts.stop();
  }
  return { chunks: submitted };
}
