// A worker's view of the runs it takes chunks of: each run's record read once, its paths mapped to
// this machine, its fingerprint compared, and one thread pool per run, closed when the run goes idle.
import path from 'node:path';
import type { Redis as RedisClient } from 'ioredis';
import { FlowError } from '../../contract/errors.js';
import type { WorkerPlan } from '../messages.js';
import { createPool, type ChunkPool } from '../pool/pool.js';
import { compileSteps } from '../typescript.js';
import { decode } from './codec.js';
import { differences, fingerprint } from './fingerprint.js';
import type { InputStamp } from './inputs.js';
import { mapPaths, type Places } from './paths.js';
import type { RunRecord } from './run-record.js';
import { runKey } from './settings.js';

export interface RunState {
  /** The coordinator's places, to map each chunk's paths from. */
  from: Places;
  plan: WorkerPlan;
  inputs: InputStamp[];
  chunkTimeoutMs?: number;
  /** Map-only records that JSON gives back exactly go as JSON (RunRecord.json). */
  json: boolean;
  pool: ChunkPool;
  /** Set when the pool broke outside any chunk (a step's late throw): the run's next chunks fail with it. */
  broken?: FlowError;
}

/** Why this worker takes none of a run's chunks: its code differs, or the run is over. */
export class Refusal extends Error {
  constructor(readonly error: FlowError) {
    super(error.message);
  }
}

interface Entry {
  state: Promise<RunState>;
  active: number;
  timer?: NodeJS.Timeout;
}

export function runCache(client: RedisClient, prefix: string, here: Places, threads: number, idleMs: number) {
  const entries = new Map<string, Entry>();

  async function load(runId: string): Promise<RunState> {
    const text = await client.get(runKey(prefix, runId));
    if (text === null) throw new Refusal(new FlowError({ code: 'QUEUE_UNAVAILABLE', message: 'the run is over: its record is gone from Redis' }));
    const record = JSON.parse(text) as RunRecord;
    const plan = mapPaths(decode<WorkerPlan>(record.plan), record.places, here);
    const differ = differences(fingerprint(plan, record.plan, here), record.fingerprint);
    if (differ.length > 0) {
      throw new Refusal(
        new FlowError({
          code: 'FINGERPRINT_MISMATCH',
          message: `this machine does not run the same code: ${differ.join('; ')}`,
          hint: "run `flow worker` in the pipeline's project folder, with the same flow, Node major, step files and package-lock.json as the coordinator",
        }),
      );
    }
    // Its TypeScript steps compiled here once, not by each thread (typescript.ts).
    const pool = createPool(await compileSteps(plan), threads);
    const state: RunState = { from: record.places, plan, inputs: mapPaths(record.inputs, record.places, here), json: record.json === true, pool };
    if (record.chunkTimeoutMs !== undefined) state.chunkTimeoutMs = record.chunkTimeoutMs;
    pool.failed?.catch(
      (error: unknown) => void (state.broken = error instanceof FlowError ? error : new FlowError({ code: 'WORKER_DIED', message: String(error) })),
    );
    return state;
  }

  // A run whose pool closed while idle: what its threads said when settled, kept for the run's end.
  const settledEarlier = new Map<string, FlowError | undefined>();
  const lateFailure = (state: RunState) => (state.broken ? Promise.resolve(state.broken) : (state.pool.settle?.() ?? Promise.resolve(undefined)));

  const close = async (runId: string, entry: Entry, keep: boolean) => {
    entries.delete(runId);
    const state = await entry.state.catch(() => undefined);
    if (state && keep) {
      settledEarlier.set(runId, await lateFailure(state).catch(() => undefined));
      setTimeout(() => settledEarlier.delete(runId), idleMs * 10).unref();
    }
    await state?.pool.destroy();
  };

  return {
    /** Runs `work` with the run's state; the run's pool closes `idleMs` after its last chunk. */
    async with<T>(runId: string, work: (state: RunState) => Promise<T>): Promise<T> {
      let entry = entries.get(runId);
      if (!entry) {
        const made: Entry = { state: load(runId), active: 0 };
        // A refusal stands for the whole run; anything else (Redis busy) is tried again by the next job.
        made.state.catch((error: unknown) => {
          if (!(error instanceof Refusal) && entries.get(runId) === made) entries.delete(runId);
        });
        entries.set(runId, made);
        entry = made;
      }
      clearTimeout(entry.timer);
      entry.active++;
      try {
        return await work(await entry.state);
      } finally {
        entry.active--;
        const e = entry;
        if (e.active === 0) {
          e.timer = setTimeout(() => void close(runId, e, true), idleMs);
          e.timer.unref();
        }
      }
    },
    /** The run's late asynchronous failure on this worker's threads (settle.ts); undefined for a run it never ran. */
    settle(runId: string): Promise<FlowError | undefined> | undefined {
      const entry = entries.get(runId);
      if (entry) return entry.state.then(lateFailure, () => undefined);
      return settledEarlier.has(runId) ? Promise.resolve(settledEarlier.get(runId)) : undefined;
    },
    async closeAll(): Promise<void> {
      await Promise.all([...entries].map(([runId, entry]) => close(runId, entry, false)));
    },
  };
}

/** A path as this worker's messages show it: relative to its project folder when inside it. */
export function shownFrom(root: string): (file: string) => string {
  return (file) => (file.startsWith(root + path.sep) ? path.relative(root, file) : file);
}
