// Feeds chunk descriptors to the pool through a credit window and hands results back in chunk order,
// so the source never runs ahead of the pool and memory stays bounded whatever the input size.
import type { Chunk, SourcePlan } from '../contract/step.js';
import { interrupted } from '../contract/errors.js';
import { workerDied } from './failure.js';
import type { ChunkResult } from './messages.js';
import type { ChunkPool } from './pool/pool.js';

export interface DispatchOptions {
  pool: ChunkPool;
  chunks: SourcePlan['chunks'];
  /** Chunks in flight or waiting to be consumed; about two per thread keeps every thread busy. */
  window?: number;
  signal?: AbortSignal;
  /** Describes a worker's death (by default with the chunk's index only). */
  workerDied?(cause: unknown, chunk: Chunk): Error | Promise<Error>;
  /** Called once per chunk, strictly in chunk order; may be async (output backpressure). */
  consume(result: ChunkResult, chunk: Chunk): void | Promise<void>;
}

export async function dispatch(options: DispatchOptions): Promise<{ chunks: number }> {
  const { pool, consume, signal } = options;
  const window = options.window ?? pool.threads * 2;
  const pending = new Map<number, Promise<{ result: ChunkResult; chunk: Chunk }>>();
  let submitted = 0;
  let consumed = 0;

  const drainOne = async () => {
    const next = pending.get(consumed)!;
    pending.delete(consumed);
    const { result, chunk } = await next;
    consumed++;
    await consume(result, chunk);
  };

  for await (const descriptor of options.chunks) {
    // A turn of the event loop per chunk: an in-process chunk runs synchronously, and a signal's
    // handler (which aborts `signal`) runs only between such turns.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw interrupted(signal.reason);
    while (submitted - consumed >= window) await drainOne();
    const chunk: Chunk = { ...descriptor, index: submitted };
    const task = pool.run({ chunk }, signal).then(
      (result) => ({ result, chunk }),
      async (cause: unknown) => {
        throw signal?.aborted ? interrupted(signal.reason) : await (options.workerDied ?? workerDied)(cause, chunk);
      },
    );
    // Rejections are observed when the chunk's turn comes; don't let them surface early as unhandled.
    task.catch(() => {});
    pending.set(submitted, task);
    submitted++;
  }
  while (consumed < submitted) await drainOne();
  // On failure the caller destroys the pool, which ends the tasks still running.
  return { chunks: submitted };
}
