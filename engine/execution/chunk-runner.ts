// Runs one chunk descriptor through the source, the map steps and the reducer: the work of a worker
// thread, kept apart from the thread entry so the engine can also run a tiny job in-process.
import { isFlowError } from '../contract/errors.js';
import { importStep } from './import-step.js';
import type { MapStep, ReduceStep, SourceStep } from '../contract/step.js';
import type { ResolvedStep } from '../contract/plan.js';
import type { ChunkResult, ChunkTask, WorkerPlan } from './messages.js';

export interface Runtime {
  source: SourceStep;
  sourceState: unknown;
  /** Feeds one source record through the map steps into `sink`. */
  pipe(sink: (record: unknown) => void): (record: unknown) => void;
  /** All the map steps over a chunk of numbers at once, when each has `mapMany`; undefined: it could not. */
  mapNumbers?: (values: Float64Array) => Float64Array | undefined;
  reduce?: { step: ReduceStep; state: unknown };
}

/** A step's failure, tagged with the step that threw. */
class StepFailure {
  constructor(readonly step: ResolvedStep, readonly cause: unknown) {}
}

/** Runs one chunk through the source, the map steps and the reducer's `add` (or collects the records). */
export function runChunk(rt: Runtime, plan: WorkerPlan, task: ChunkTask): ChunkResult {
  let recordsIn = 0;
  let recordsOut = 0;
  const counters = () => ({ index: task.chunk.index, recordsIn, recordsOut });
  let inBulk = false;
  try {
    const { source, sourceState } = rt;
    // A source with readEach hands records over without an iterator; otherwise read them.
    const records = source.readEach ? undefined : source.read(task.chunk, sourceState);
    // A chunk of numbers goes through every step in bulk when they all can: no record objects.
    if (records instanceof Float64Array && rt.mapNumbers && (!rt.reduce || rt.reduce.step.addMany)) {
      inBulk = true;
      const numbers = rt.mapNumbers(records);
      // The source may reuse its buffer for the next chunk: what leaves the chunk must be a copy.
      const own = numbers === records && !rt.reduce ? numbers.slice() : numbers;
      if (own) return bulkResult(rt, plan, own, { index: task.chunk.index, recordsIn: records.length, recordsOut: own.length });
      inBulk = false;
    }
    const each = (feed: (record: unknown) => void) => {
      if (records === undefined) {
        source.readEach!(task.chunk, sourceState, (record) => {
          feed(record);
          recordsIn++;
        });
      } else {
        for (const record of records) {
          feed(record);
          recordsIn++;
        }
      }
    };
    if (rt.reduce) {
      const { step, state } = rt.reduce;
      let acc = step.init(state);
      // try/catch inline, not a closure per record: this is the hottest loop of a reduce.
      each(
        rt.pipe((record) => {
          try {
            acc = step.add(acc, record, state);
          } catch (cause) {
            throw new StepFailure(plan.reduce!, cause);
          }
          recordsOut++;
        }),
      );
      return { type: 'partial', acc, ...counters() };
    }
    const out: unknown[] = [];
    each(
      rt.pipe((record) => {
        out.push(record);
      }),
    );
    recordsOut = out.length;
    return { type: 'records', records: out, ...counters() };
  } catch (thrown) {
    // A bulk failure has no one record to point at.
    return failure(thrown, plan, inBulk ? undefined : recordsIn, counters());
  }
}

/** The numbers the maps gave in bulk: added at once by the reducer, or handed on as they are. */
function bulkResult(rt: Runtime, plan: WorkerPlan, numbers: Float64Array, counters: { index: number; recordsIn: number; recordsOut: number }): ChunkResult {
  if (!rt.reduce) return { type: 'numbers', values: numbers, ...counters };
  const { step, state } = rt.reduce;
  try {
    return { type: 'partial', acc: step.addMany!(step.init(state), numbers, state), ...counters };
  } catch (cause) {
    throw new StepFailure(plan.reduce!, cause);
  }
}

function failure(thrown: unknown, plan: WorkerPlan, recordInChunk: number | undefined, counters: ReturnType<() => { index: number; recordsIn: number; recordsOut: number }>): ChunkResult {
  const step = thrown instanceof StepFailure ? thrown.step : plan.source;
  const cause = thrown instanceof StepFailure ? thrown.cause : thrown;
  const stepLabel = `${step.path} (${step.name})`;
  const at = recordInChunk !== undefined ? { recordInChunk } : {};
  if (isFlowError(cause)) {
    return { type: 'error', error: { ...cause.toJSON(), step: cause.step ?? stepLabel }, ...at, bug: false, ...counters };
  }
  // A step that throws a plain Error failed on this record: the user's data or plugin, reported as such.
  const message = cause instanceof Error ? cause.message : String(cause);
  const stack = cause instanceof Error ? cause.stack : undefined;
  return {
    type: 'error',
    error: { code: 'STEP_FAILED', message, step: stepLabel },
    ...at,
    ...(stack ? { stack } : {}),
    bug: false,
    ...counters,
  };
}

export async function loadRuntime(plan: WorkerPlan): Promise<Runtime> {
  const ctx = plan.context;
  // A step that fails to load or set up is named, like one that fails on a record.
  const prepare = async <S extends { setup?(options: never, ctx: never): unknown }>(resolved: ResolvedStep) => {
    try {
      const step = (await importStep(resolved.module, resolved.exportName)) as unknown as S & { setup?(options: unknown, ctx: unknown): unknown };
      return { step, state: await step.setup?.(resolved.options, ctx) };
    } catch (cause) {
      throw new StepFailure(resolved, cause);
    }
  };
  const { step: source, state: sourceState } = await prepare<SourceStep>(plan.source);
  const maps: { resolved: ResolvedStep; step: MapStep; state: unknown }[] = [];
  for (const resolved of plan.map) maps.push({ resolved, ...(await prepare<MapStep>(resolved)) });
  const reduce = plan.reduce ? await prepare<ReduceStep>(plan.reduce) : undefined;
  const mapNumbers = bulkMaps(maps);
  return { source, sourceState, pipe: (sink) => chain(maps, sink), ...(mapNumbers ? { mapNumbers } : {}), ...(reduce ? { reduce } : {}) };
}

/** Runs a chunk once its steps are loaded; a failed load or setup is the chunk's error result. */
export async function runLoaded(runtime: Promise<Runtime>, plan: WorkerPlan, task: ChunkTask): Promise<ChunkResult> {
  let rt: Runtime;
  try {
    rt = await runtime;
  } catch (thrown) {
    return setupFailed(thrown, plan, task);
  }
  return runChunk(rt, plan, task);
}

/** The error result of a chunk whose steps could not be loaded or set up. */
export function setupFailed(thrown: unknown, plan: WorkerPlan, task: ChunkTask): ChunkResult {
  return failure(thrown, plan, undefined, { index: task.chunk.index, recordsIn: 0, recordsOut: 0 });
}

/** The map steps as one function over a Float64Array, when every one has `mapMany` (none: identity). */
function bulkMaps(maps: { resolved: ResolvedStep; step: MapStep; state: unknown }[]) {
  if (!maps.every(({ step }) => step.mapMany)) return undefined;
  return (values: Float64Array): Float64Array | undefined => {
    let out: Float64Array | undefined = values;
    for (const { resolved, step, state } of maps) {
      try {
        out = step.mapMany!(out, state);
      } catch (cause) {
        throw new StepFailure(resolved, cause);
      }
      if (out === undefined) return undefined;
    }
    return out;
  };
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
