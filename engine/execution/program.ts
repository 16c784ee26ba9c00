// A worker's steps, adapted once when it loads them into the one shape a chunk runs through: the
// engine never probes a step's optional members per chunk. The plan says which form to build
// (records or numbers, read or each); the steps only say what they can do.
import { importStep } from './import-step.js';
import { stepMark } from './step-marker.js';
import { builtinModule } from '../../steps/registry.js';
import type { ResolvedStep } from '../contract/plan.js';
import type { Chunk, ColumnBatch, MapStep, ReduceStep, SourceStep } from '../contract/step.js';
import type { WorkerPlan } from './messages.js';
import type { ChunkChecks } from './checks/combiners.js';

/** A step's failure, tagged with the step that threw. */
export class StepFailure {
  constructor(
    readonly step: ResolvedStep,
    readonly cause: unknown,
  ) {}
}

export interface Program {
  /** The source's `prepare`, when it has one: the chunk as `read` and the fast forms take it. */
  prepare?(chunk: Chunk): Promise<Chunk>;
  /** Hands every record of a chunk to `emit`, in source order. */
  read(chunk: Chunk, emit: (record: unknown) => void): void;
  /**
   * The map steps composed, last to first, into one function per record that feeds `sink`. With
   * `counts` (the report's per-step counts), for each step i < counts.length: the records a map step
   * dropped (returned undefined), or those a flatMap step handed on. Only a drop costs an add, so the
   * clean path of a map is untouched; chunk-runner turns these into records handed on, per chunk.
   */
  pipe(sink: (record: unknown) => void, counts?: number[]): (record: unknown) => void;
  /** Which map steps are flatMaps. */
  flat: boolean[];
  /** Some map step is a flatMap: a record may reach the sink several times before a later step throws. */
  fans: boolean;
  /** The numbers form, when the plan chose it: a chunk goes through every step as one Float64Array. */
  numbers?: {
    read(chunk: Chunk): Float64Array;
    /** The map steps' output for these numbers, or undefined when it would not be all numbers; `counts` as in pipe. */
    map(values: Float64Array, counts?: number[]): Float64Array | undefined;
  };
  /**
   * The columns form, when the plan chose it (no map step, no record check): the source's columns of
   * a chunk (undefined: read it record by record), added by the reducer as they are.
   */
  columns?: {
    read(chunk: Chunk): ColumnBatch | undefined;
    add(acc: unknown, batch: ColumnBatch): unknown;
  };
  reduce?: ReducerProgram;
  /** The record checks (checks/combiners.ts), one chunk's at a time. */
  checks?: (chunk: number) => ChunkChecks;
}

export interface ReducerProgram {
  init(): unknown;
  add(acc: unknown, record: unknown): unknown;
  /** Present in the numbers form. */
  addNumbers?(acc: unknown, values: Float64Array): unknown;
  finish(acc: unknown): unknown;
}

interface Loaded<T> {
  resolved: ResolvedStep;
  step: T;
  state: unknown;
}

export async function loadProgram(plan: WorkerPlan): Promise<Program> {
  // A step that fails to load or set up is named, like one that fails on a record.
  const load = async <T extends SourceStep | MapStep | ReduceStep>(resolved: ResolvedStep): Promise<Loaded<T>> => {
    try {
      const step = (await importStep(resolved.module, resolved.exportName)) as T;
      return { resolved, step, state: await step.setup?.(resolved.options as never, plan.context as never) };
    } catch (cause) {
      throw new StepFailure(resolved, cause);
    }
  };
  const source = await load<SourceStep>(plan.source);
  const maps: Loaded<MapStep>[] = [];
  for (const resolved of plan.map) maps.push(await load<MapStep>(resolved));
  const reducer = plan.reduce ? await load<ReduceStep>(plan.reduce) : undefined;
  const numbers = plan.form === 'numbers';
  const columns = plan.form === 'columns' && reducer ? columnsForm(source, reducer) : undefined;
  // Loaded by a run that has checks only: with the expression compiler they need, they were a quarter
  // of the code a worker thread parses at its start (260 -> 199 KB for an NDJSON group-by).
  const checks = plan.checks?.length ? (await import('./checks/combiners.js')).recordChecks(plan.checks, plan.context.params, plan.checkSpill) : undefined;
  const prepare = source.step.prepare;
  return {
    ...(prepare ? { prepare: async (chunk: Chunk) => prepare(chunk, source.state) } : {}),
    read: sourceReader(source, plan.emit),
    pipe: (sink, counts) => chain(maps, sink, counts),
    fans: maps.some(({ step }) => step.flatMap !== undefined),
    flat: maps.map(({ step }) => step.flatMap !== undefined),
    ...(numbers ? { numbers: { read: (chunk: Chunk) => source.step.fast!.numbers!(chunk, source.state), map: numberMaps(maps) } } : {}),
    ...(columns ? { columns } : {}),
    ...(reducer ? { reduce: reducerProgram(reducer, numbers) } : {}),
    ...(checks ? { checks } : {}),
  };
}

function sourceReader({ step, state }: Loaded<SourceStep>, emit: boolean): Program['read'] {
  const each = step.fast?.each;
  if (emit && each) return (chunk, sink) => each(chunk, state, sink);
  return (chunk, sink) => {
    for (const record of step.read(chunk, state)) sink(record);
  };
}

function reducerProgram({ resolved, step, state }: Loaded<ReduceStep>, numbers: boolean): ReducerProgram {
  const addMany = step.fast?.numbers;
  return {
    init: () => step.init(state),
    // try/catch inline, not a closure per record: this is the hottest call of a reduce.
    add(acc, record) {
      try {
        return step.add(acc, record, state);
      } catch (cause) {
        throw new StepFailure(resolved, cause);
      }
    },
    ...(numbers && addMany
      ? {
          addNumbers(acc: unknown, values: Float64Array) {
            try {
              return addMany(acc, values, state);
            } catch (cause) {
              throw new StepFailure(resolved, cause);
            }
          },
        }
      : {}),
    finish: (acc) => step.finish(acc, state),
  };
}

/** The source's columns straight into the reducer. A throw is the chunk-runner's cue to go record by record. */
function columnsForm(source: Loaded<SourceStep>, reducer: Loaded<ReduceStep>): Program['columns'] {
  const read = source.step.fast!.columns!;
  const add = reducer.step.fast!.columns!;
  return {
    read: (chunk) => read(chunk, source.state),
    add: (acc, batch) => add(acc, batch, reducer.state),
  };
}

/** The map steps as one function over a Float64Array (none: identity). */
function numberMaps(maps: Loaded<MapStep>[]) {
  const bulk = maps.map(({ resolved, step, state }) => ({ resolved, map: step.fast!.numbers!.map, state, flat: step.flatMap !== undefined }));
  return (values: Float64Array, counts?: number[]): Float64Array | undefined => {
    let out: Float64Array | undefined = values;
    for (let i = 0; i < bulk.length; i++) {
      const { resolved, map, state } = bulk[i]!;
      const before = out.length;
      try {
        out = map(out, state);
      } catch (cause) {
        throw new StepFailure(resolved, cause);
      }
      if (counts && i < counts.length) counts[i] = out === undefined ? 0 : bulk[i]!.flat ? out.length : before - out.length;
      if (out === undefined) return undefined;
    }
    return out;
  };
}

function chain(maps: Loaded<MapStep>[], sink: (record: unknown) => void, counts?: number[]) {
  let next = sink;
  for (let i = maps.length - 1; i >= 0; i--) {
    const { resolved, step, state } = maps[i]!;
    const down = next;
    const counted = counts !== undefined && i < counts.length;
    if (step.flatMap) {
      const flatMap = marked(resolved, i, step.flatMap);
      next = (record) => {
        let out: Iterable<unknown>;
        try {
          out = flatMap(record, state);
        } catch (cause) {
          throw new StepFailure(resolved, cause);
        }
        for (const value of out) {
          if (counted) counts[i]!++;
          down(value);
        }
      };
    } else {
      const map = marked(resolved, i, step.map!);
      // Only the records a step drops are counted here: the rest follow from the chunk's totals.
      const tally = counted ? counts : undefined;
      const at = i;
      next = (record) => {
        let value: unknown;
        try {
          value = map(record, state);
        } catch (cause) {
          throw new StepFailure(resolved, cause);
        }
        if (value !== undefined) down(value);
        else if (tally !== undefined) tally[at]!++;
      };
    }
  }
  return next;
}

/** A plugin step's function, marking the thread as in it while it runs (step-marker.ts); a built-in's as it is. */
function marked<F extends (record: unknown, state: unknown) => unknown>(resolved: ResolvedStep, index: number, run: F): F {
  if (builtinModule(resolved.kind, resolved.name) === resolved.module) return run;
  return ((record: unknown, state: unknown) => {
    stepMark[0] = index;
    try {
      return run(record, state);
    } finally {
      stepMark[0] = -1;
    }
  }) as F;
}
