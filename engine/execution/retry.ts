// Runs a chunk on the pool until an attempt gives a result or its attempts are spent. A dead worker,
// a chunk past its timeout and a failed setup are tried again; a record's error is a result like any
// other (running it again would fail the same way). Only a finished attempt's result is handed on, so
// a retried chunk gives exactly what a first attempt would.
import type { FlowErrorInit } from '../contract/errors.js';
import type { Retries } from '../contract/plan.js';
import type { Chunk } from '../contract/step.js';
import type { ChunkResult } from './messages.js';
import type { ChunkPool } from './pool/pool.js';
import { markedStep, newStepMarker } from './step-marker.js';

/** Why one attempt at a chunk failed. `unsendable`: its result could not be cloned back (pool/sendable.ts). */
/** `step`: the index of the plugin map step its thread was in when it died or was ended (step-marker.ts). */
export type AttemptFailure =
  | { kind: 'died'; reason: string; step?: number }
  | { kind: 'timeout'; ms: number; step?: number }
  | { kind: 'setup'; error: FlowErrorInit }
  | { kind: 'unsendable'; reason: string };

/** A chunk that failed every attempt: dispatch turns it into the run's error. */
export class ChunkAttemptsFailed extends Error {
  constructor(
    readonly chunk: Chunk,
    readonly failures: AttemptFailure[],
  ) {
    super(`chunk ${chunk.index} failed ${failures.length} attempt(s)`);
    this.name = 'ChunkAttemptsFailed';
  }
}

/** What the attempts of a run were stopped by: the run's signal, or the run ending (it failed). */
export class AttemptsStopped extends Error {
  constructor(readonly reason: unknown) {
    super('attempts stopped');
    this.name = 'AttemptsStopped';
  }
}

export interface Attempts {
  /** The chunk's result, or a ChunkAttemptsFailed, or an AttemptsStopped once stopped. */
  run(chunk: Chunk): Promise<ChunkResult>;
  /** Starts no more attempts (the run is over); those in flight end with the pool. */
  stop(): void;
}

type Outcome = { result: ChunkResult; failure?: undefined } | { failure: AttemptFailure };

export function createAttempts(pool: ChunkPool, retries: Retries, signal?: AbortSignal, onRetry?: (chunk: Chunk, failure: AttemptFailure) => void): Attempts {
  const { attempts, chunkTimeoutMs } = retries;
  // One controller per attempt, so piscina can end just that task's thread; the run's signal reaches
  // them through one listener here (one per task on a shared signal passes MaxListeners at 6 workers).
  const inFlight = new Set<AbortController>();
  // With a timeout, no more attempts in the pool than threads: the clock then measures a chunk's own
  // run (and its thread's start), never its wait in piscina's queue behind a slow chunk.
  const slots = chunkTimeoutMs !== undefined ? semaphore(pool.threads) : undefined;
  let stopped: AttemptsStopped | undefined;

  const stop = (reason?: unknown) => {
    if (stopped) return;
    stopped = new AttemptsStopped(reason);
    signal?.removeEventListener('abort', onAbort);
    slots?.drain();
  };
  // Interrupted: the attempts in flight end now (their threads too), so the run stops at once.
  const onAbort = () => {
    stop(signal!.reason);
    for (const controller of inFlight) controller.abort(signal!.reason);
  };
  if (signal?.aborted) stop(signal.reason);
  else signal?.addEventListener('abort', onAbort, { once: true });

  const once = async (chunk: Chunk, sendable: boolean): Promise<Outcome> => {
    await slots?.acquire();
    if (stopped) throw stopped;
    const controller = new AbortController();
    inFlight.add(controller);
    const marker = newStepMarker();
    let timedOut = false;
    const timer =
      chunkTimeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort(new Error(`chunk ${chunk.index} ran past chunk-timeout`));
          }, chunkTimeoutMs);
    try {
      return { result: await pool.run(sendable ? { chunk, sendable, marker } : { chunk, marker }, controller.signal) };
    } catch (cause) {
      if (stopped) throw stopped;
      const step = markedStep(marker);
      const inStep = step === undefined ? {} : { step };
      if (timedOut) return { failure: { kind: 'timeout', ms: chunkTimeoutMs!, ...inStep } };
      // piscina rejects a task whose thread exited, crashed or ran out of memory.
      // An error from the thread may arrive as a plain object (its prototype lost in the clone).
      const message = (cause as { message?: unknown } | null)?.message;
      const reason = typeof message === 'string' ? message : String(cause);
      if ((cause as { unsendable?: unknown } | null)?.unsendable === true) return { failure: { kind: 'unsendable', reason } };
      return { failure: { kind: 'died', reason, ...inStep } };
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
      slots?.release();
    }
  };

  return {
    async run(chunk) {
      const failures: AttemptFailure[] = [];
      let unsendable: AttemptFailure | undefined;
      for (;;) {
        const outcome = await once(chunk, unsendable !== undefined);
        const result = outcome.failure ? undefined : outcome.result;
        if (result && !(result.type === 'error' && result.setup)) return result;
        // A result that could not be cloned back fails the same way every time: one more run, that
        // names the record (or rejects it), is no retry. Should that run die of it too, it fails here.
        if (outcome.failure?.kind === 'unsendable' && !unsendable) {
          unsendable = outcome.failure;
          continue;
        }
        const failure = outcome.failure ?? { kind: 'setup', error: (result as Extract<ChunkResult, { type: 'error' }>).error };
        if (failure.kind === 'unsendable') throw new ChunkAttemptsFailed(chunk, [...failures, unsendable!, failure]);
        failures.push(failure);
        if (failures.length >= attempts) throw new ChunkAttemptsFailed(chunk, failures);
        onRetry?.(chunk, failure);
      }
    },
    stop: () => stop(),
  };
}

/** At most `n` holders at once, served in the order they asked; `drain` lets every waiter through. */
function semaphore(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    acquire: (): Promise<void> | undefined => {
      if (free > 0) {
        free--;
        return undefined;
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
    drain() {
      for (const next of waiting.splice(0)) next();
    },
  };
}
