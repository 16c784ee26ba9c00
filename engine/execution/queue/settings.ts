// The queue's names and tunables, one place: the BullMQ queue every `flow worker` listens on, the
// Redis keys of a run, and the timings (each settable by environment, for tests and odd networks).
import { hostname } from 'node:os';
import type { Retries } from '../../contract/plan.js';

/** The one BullMQ queue all workers take chunks from. */
export const QUEUE_NAME = 'flow-chunks';

export interface QueueSettings {
  url: string;
  /** BullMQ's key prefix (`--queue-prefix`, FLOW_QUEUE_PREFIX; default `flow`). */
  prefix: string;
}

export function queuePrefix(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag ?? env.FLOW_QUEUE_PREFIX ?? 'flow';
}

/** `<prefix>:run:<id>`: the run's record (plan, fingerprint, inputs), read once per run by each worker. */
export const runKey = (prefix: string, runId: string) => `${prefix}:run:${runId}`;
/** A result larger than INLINE_BYTES, until the coordinator reads and deletes it. */
export const resultKey = (prefix: string, runId: string, index: number) => `${prefix}:run:${runId}:result:${index}`;
/** A worker's presence (its thread count), refreshed while it runs: the coordinator sizes its window from them. */
export const workerKey = (prefix: string, name: string) => `${prefix}:worker:${name}`;
// BullMQ refuses a ":" in a custom job id.
export const jobId = (runId: string, index: number) => `${runId}-${index}`;

/** Up to this size a chunk's encoded result is the job's return value; larger ones go to a key. */
export const INLINE_BYTES = 64 * 1024;

const number = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const value = Number(env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

/**
 * Worker timings. A job's lock is renewed every lockMs/2 by the worker's main thread, which only waits
 * on its chunk threads, so a short lock is safe; a dead worker's chunk is given up after at most about
 * lockMs + 2 * stalledMs (docs/distributed.md, "Faults").
 */
export function workerTimings(env: NodeJS.ProcessEnv) {
  return {
    lockMs: number(env, 'FLOW_QUEUE_LOCK_MS', 10_000),
    stalledMs: number(env, 'FLOW_QUEUE_STALLED_MS', 5_000),
    /** A run's thread pool closes after this long without a chunk of the run. */
    poolIdleMs: number(env, 'FLOW_QUEUE_POOL_IDLE_MS', 30_000),
  };
}

/** Coordinator timings: how long Redis may be unreachable (at start or during a run) before the run fails. */
export function coordinatorTimings(env: NodeJS.ProcessEnv) {
  return {
    waitMs: number(env, 'FLOW_QUEUE_WAIT_MS', 10_000),
    /** A spilled result and the run's record outlive a coordinator that died by this much at most. */
    ttlMs: number(env, 'FLOW_QUEUE_TTL_MS', 24 * 3600_000),
    /** How often the jobs still awaited are checked for a completion whose event was lost (lost-events.ts). */
    lostMs: number(env, 'FLOW_QUEUE_LOST_MS', 5_000),
    /** How long the run's end waits for its workers to settle their threads (settle.ts). */
    settleMs: number(env, 'FLOW_QUEUE_SETTLE_MS', 3_000),
  };
}

/** The chunks in flight or waiting for their turn: twice the worker threads seen at the start, at least 4. */
export function queueWindow(threadsSeen: number, env: NodeJS.ProcessEnv): number {
  const set = Number(env.FLOW_QUEUE_WINDOW);
  return Number.isInteger(set) && set > 0 ? set : Math.max(4, 2 * threadsSeen);
}

/** What a worker applies to the run's chunks; the attempts themselves are counted by the coordinator (retry.ts). */
export function workerRetries(retries: Retries): { chunkTimeoutMs?: number } {
  return retries.chunkTimeoutMs !== undefined ? { chunkTimeoutMs: retries.chunkTimeoutMs } : {};
}

/** The URL as messages and reports show it: without its password. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** How a worker is named in logs, errors and reports. */
export const workerName = (): string => `${hostname()}:${process.pid}`;
