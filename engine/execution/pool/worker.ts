// The worker-thread entry: turns one chunk descriptor into a partial accumulator (or mapped records).
// Imports step modules only: never the CLI, listr2 or anything of the main thread.
import { workerData } from 'node:worker_threads';
import { types } from 'node:util';
import { Piscina } from 'piscina';
import { runLoaded } from '../chunk-runner.js';
import { loadProgram, type Program } from '../program.js';
import type { ChunkResult, ChunkTask, WorkerPlan } from '../messages.js';
import { watchAsyncFailures } from './async-failures.js';

const plan = workerData as WorkerPlan;
const asyncFailures = watchAsyncFailures(plan);
// Load and set up the steps as soon as the thread starts, while the main thread is still splitting.
let program = load();

function load(): Promise<Program> {
  const loading = loadProgram(plan);
  // A failure here is reported with the first task that awaits it.
  loading.catch(() => {});
  return loading;
}

export default async function runTask(task: ChunkTask): Promise<ChunkResult> {
  const result = await runLoaded(program, plan, task);
  // The chunk will be tried again (retries): this thread sets its steps up anew for it.
  if (result.type === 'error' && result.setup) program = load();
  return (await asyncFailures.settle(task.chunk.index)) ?? pack(result);
}

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
