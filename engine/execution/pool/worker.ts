// The worker-thread entry: turns one chunk descriptor into a partial accumulator (or mapped records).
// Imports step modules only: never the CLI, listr2 or anything of the main thread.
import { workerData } from 'node:worker_threads';
import { types } from 'node:util';
import { Piscina } from 'piscina';
import { runLoaded } from '../chunk-runner.js';
import { loadProgram, type Program } from '../program.js';
import type { ChunkResult, ChunkTask, EncodedResult, WorkerPlan } from '../messages.js';
import { encodeResult } from '../queue/codec.js';
import { watchAsyncFailures, type AsyncFailures } from './async-failures.js';
import { sendableProgram, sendableResult } from './sendable.js';
import { useStepMarker } from '../step-marker.js';
import { yieldToFeeder } from './feeder-first.js';

/** The plan this thread runs: its pool's (workerData), or on a pool shared by runs the latest task's. */
interface Loaded {
  id: number;
  plan: WorkerPlan;
  asyncFailures: AsyncFailures;
  program: Promise<Program>;
}

// Load and set up the steps as soon as the thread starts, while the main thread is still splitting.
let loaded: Loaded | undefined;
if (workerData) loaded = loadPlan(0, workerData as WorkerPlan);

function loadPlan(id: number, plan: WorkerPlan): Loaded {
  loaded?.asyncFailures.stop();
  return { id, plan, asyncFailures: watchAsyncFailures(plan), program: load(plan) };
}

function load(plan: WorkerPlan): Promise<Program> {
  const loading = loadProgram(plan);
  // A failure here is reported with the first task that awaits it.
  loading.catch(() => {});
  return loading;
}

export default async function runTask(task: ChunkTask): Promise<ChunkResult | EncodedResult> {
  if (task.plan && loaded?.id !== task.plan.id) loaded = loadPlan(task.plan.id, task.plan.plan);
  const current = loaded!;
  const { plan, asyncFailures } = current;
  useStepMarker(task.marker);
  if (task.feederFirst) yieldToFeeder();
  const result = await runLoaded(task.sendable ? sendableProgram(current.program, plan) : current.program, plan, task);
  // The chunk will be tried again (retries): this thread sets its steps up anew for it.
  if (result.type === 'error' && result.setup) current.program = load(plan);
  const late = await asyncFailures.settle(task.chunk.index);
  const final = late ?? (task.sendable ? sendableResult(result, plan) : result);
  return task.encode ? encoded(final, task.encode) : late ? final : pack(final);
}

/** A flow worker's result, encoded here, in parallel with the other threads, and moved across. */
function encoded(result: ChunkResult, encode: 'v8' | 'json'): ChunkResult | EncodedResult {
  let bytes: Uint8Array;
  try {
    bytes = encodeResult(result, encode === 'json');
  } catch {
    // Not serializable (a function in a record): the clone fails the same way, marked unsendable.
    return result;
  }
  const movable = {};
  Object.defineProperty(movable, Piscina.transferableSymbol, { value: [bytes.buffer] });
  Object.defineProperty(movable, Piscina.valueSymbol, { value: { type: 'encoded', bytes } satisfies EncodedResult });
  return Piscina.move(movable as never) as unknown as EncodedResult;
}

/**
 * After the run's last chunk, once on every thread (pool.ts settle): `arrived` counts the threads in,
 * so that none takes two of these tasks while another takes none; then a late asynchronous failure.
 */
export async function settle({ arrived, threads }: { arrived: SharedArrayBuffer; threads: number }): Promise<ChunkResult | null> {
  const count = new Int32Array(arrived);
  Atomics.add(count, 0, 1);
  const until = performance.now() + BARRIER_MS;
  for (let now = Atomics.load(count, 0); now < threads && performance.now() < until; now = Atomics.load(count, 0)) {
    await waitAsync(count, 0, now, Math.max(1, until - performance.now())).value;
  }
  Atomics.notify(count, 0);
  // A thread of a shared pool that has run no chunk yet has nothing to drain.
  return (await loaded?.asyncFailures.drain(LATE_TIMERS_MS)) ?? null;
}

// Node 20 has it; the ES2022 library types do not.
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): { value: Promise<string> | string } }).waitAsync;

// How long a thread waits for the others to take their settle task, and for its steps' timers.
const BARRIER_MS = 200;
const LATE_TIMERS_MS = 500;

function pack(result: ChunkResult): ChunkResult {
  if (result.type === 'partial') return transfer(result, typedArrayBuffers(result.acc));
  if (result.type === 'numbers') return transfer(result, typedArrayBuffers(result.values));
  if (result.type === 'records') {
    const values = asNumbers(result.records);
    if (values) {
      const { records: _, ...counters } = result;
      return transfer({ ...counters, type: 'numbers', values }, [values.buffer as ArrayBuffer]);
    }
  }
  return result;
}

/** Typed arrays cross by transfer, not by clone: piscina moves the listed buffers with the result. */
function transfer(result: ChunkResult, buffers: ArrayBuffer[]): ChunkResult {
  if (buffers.length === 0) return result;
  const movable = {};
  Object.defineProperty(movable, Piscina.transferableSymbol, { value: buffers });
  Object.defineProperty(movable, Piscina.valueSymbol, { value: result });
  return Piscina.move(movable as never) as unknown as ChunkResult;
}

/** The buffers of an accumulator that is, or directly holds, typed arrays (no shared views). */
function typedArrayBuffers(acc: unknown): ArrayBuffer[] {
  const views = types.isArrayBufferView(acc)
    ? [acc]
    : acc !== null && typeof acc === 'object'
      ? Object.values(acc).filter((v) => types.isArrayBufferView(v))
      : [];
  const buffers = new Set<ArrayBuffer>();
  for (const view of views) {
    const buffer = (view as ArrayBufferView).buffer;
    // Only buffers the view spans whole can move; a view into a bigger buffer is cloned.
    if (buffer instanceof ArrayBuffer && buffer.byteLength === (view as ArrayBufferView).byteLength) buffers.add(buffer);
  }
  return [...buffers];
}

function asNumbers(records: unknown[]): Float64Array | undefined {
  if (records.length === 0) return undefined;
  for (let i = 0; i < records.length; i++) if (typeof records[i] !== 'number') return undefined;
  return Float64Array.from(records as number[]);
}
