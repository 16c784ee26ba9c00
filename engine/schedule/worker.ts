// The worker-thread entry: turns one chunk descriptor into a partial accumulator (or mapped records).
// Imports step modules only: never the CLI, listr2 or anything of the main thread.
import { workerData } from 'node:worker_threads';
import { types } from 'node:util';
import { Piscina } from 'piscina';
import { FlowError } from '../errors.js';
import { importStep } from '../step-module.js';
import type { MapStep, ReduceStep, SourceStep } from '../step.js';
import type { ResolvedStep } from '../plan.js';
import type { ChunkResult, ChunkTask, WorkerPlan } from './messages.js';

interface Runtime {
  source: SourceStep;
  sourceState: unknown;
  /** Feeds one source record through the map steps into `sink`. */
  pipe(sink: (record: unknown) => void): (record: unknown) => void;
  reduce?: { step: ReduceStep; state: unknown };
}

/** A step's failure, tagged with the step that threw. */
class StepFailure {
  constructor(readonly step: ResolvedStep, readonly cause: unknown) {}
}

let runtime: Promise<Runtime> | undefined;

export default async function runChunk(task: ChunkTask): Promise<ChunkResult> {
  runtime ??= loadRuntime(workerData as WorkerPlan);
  const rt = await runtime;
  const plan = workerData as WorkerPlan;
  let recordsIn = 0;
  let recordsOut = 0;
  const counters = () => ({ index: task.chunk.index, recordsIn, recordsOut });
  try {
    if (rt.reduce) {
      const { step, state } = rt.reduce;
      let acc = step.init(state);
      const add = (record: unknown) => {
        recordsOut++;
        try {
          acc = step.add(acc, record, state);
        } catch (cause) {
          throw new StepFailure(plan.reduce!, cause);
        }
      };
      const feed = rt.pipe(add);
      for (const record of rt.source.read(task.chunk, rt.sourceState)) {
        feed(record);
        recordsIn++;
      }
      return transfer({ type: 'partial', acc, ...counters() }, typedArrayBuffers(acc));
    }
    const records: unknown[] = [];
    const feed = rt.pipe((record) => {
      records.push(record);
    });
    for (const record of rt.source.read(task.chunk, rt.sourceState)) {
      feed(record);
      recordsIn++;
    }
    recordsOut = records.length;
    const values = asNumbers(records);
    if (values) return transfer({ type: 'numbers', values, ...counters() }, [values.buffer as ArrayBuffer]);
    return { type: 'records', records, ...counters() };
  } catch (thrown) {
    return failure(thrown, plan, recordsIn, counters());
  }
}

function failure(thrown: unknown, plan: WorkerPlan, recordInChunk: number, counters: ReturnType<() => { index: number; recordsIn: number; recordsOut: number }>): ChunkResult {
  const step = thrown instanceof StepFailure ? thrown.step : plan.source;
  const cause = thrown instanceof StepFailure ? thrown.cause : thrown;
  const stepLabel = `${step.path} (${step.name})`;
  if (cause instanceof FlowError) {
    return { type: 'error', error: { ...cause.toJSON(), step: cause.step ?? stepLabel }, recordInChunk, bug: false, ...counters };
  }
  // A step that throws a plain Error failed on this record: the user's data or plugin, reported as such.
  const message = cause instanceof Error ? cause.message : String(cause);
  const stack = cause instanceof Error ? cause.stack : undefined;
  return {
    type: 'error',
    error: { code: 'STEP_FAILED', message, step: stepLabel },
    recordInChunk,
    ...(stack ? { stack } : {}),
    bug: false,
    ...counters,
  };
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
  const views = types.isArrayBufferView(acc) ? [acc] : acc !== null && typeof acc === 'object' ? Object.values(acc).filter((v) => types.isArrayBufferView(v)) : [];
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

async function loadRuntime(plan: WorkerPlan): Promise<Runtime> {
  const ctx = plan.context;
  const source = (await importStep(plan.source.module, plan.source.exportName)) as SourceStep;
  const sourceState = await source.setup?.(plan.source.options, ctx);
  const maps: { resolved: ResolvedStep; step: MapStep; state: unknown }[] = [];
  for (const resolved of plan.map) {
    const step = (await importStep(resolved.module, resolved.exportName)) as MapStep;
    maps.push({ resolved, step, state: await step.setup?.(resolved.options, ctx) });
  }
  let reduce: Runtime['reduce'];
  if (plan.reduce) {
    const step = (await importStep(plan.reduce.module, plan.reduce.exportName)) as ReduceStep;
    reduce = { step, state: step.setup?.(plan.reduce.options, ctx) };
  }
  return { source, sourceState, pipe: (sink) => chain(maps, sink), ...(reduce ? { reduce } : {}) };
}

/** Composes the map steps, last to first, into one function per record. */
function chain(maps: { resolved: ResolvedStep; step: MapStep; state: unknown }[], sink: (record: unknown) => void) {
  let next = sink;
  for (let i = maps.length - 1; i >= 0; i--) {
    const { resolved, step, state } = maps[i]!;
    const down = next;
    if (step.flatMap) {
      const flatMap = step.flatMap;
      next = (record) => {
        let out: Iterable<unknown>;
        try {
          out = flatMap(record, state);
        } catch (cause) {
          throw new StepFailure(resolved, cause);
        }
        for (const value of out) down(value);
      };
    } else {
      const map = step.map!;
      next = (record) => {
        let value: unknown;
        try {
          value = map(record, state);
        } catch (cause) {
          throw new StepFailure(resolved, cause);
        }
        if (value !== undefined) down(value);
      };
    }
  }
  return next;
}
