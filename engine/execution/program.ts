// A worker's steps, adapted once when it loads them into the one shape a chunk runs through: the
// engine never probes a step's optional members per chunk. The plan says which form to build
// (records or numbers, read or each); the steps only say what they can do.
import { importStep } from './import-step.js';
import type { ResolvedStep } from '../contract/plan.js';
import type { Chunk, MapStep, ReduceStep, SourceStep } from '../contract/step.js';
import type { WorkerPlan } from './messages.js';
import { recordChecks, type ChunkChecks } from './checks/combiners.js';

/** A step's failure, tagged with the step that threw. */
export class StepFailure {
  constructor(
    readonly step: ResolvedStep,
    readonly cause: unknown,
  ) {}
}

export interface Program {
  /** Hands every record of a chunk to `emit`, in source order. */
  read(chunk: Chunk, emit: (record: unknown) => void): void;
  /**
   * The map steps composed, last to first, into one function per record that feeds `sink`. With
   * `counts`, counts[i] counts the records step i hands on, for every step but the last (the report's per-step counts).
   */
  pipe(sink: (record: unknown) => void, counts?: number[]): (record: unknown) => void;
  /** Some map step is a flatMap: a record may reach the sink several times before a later step throws. */
  fans: boolean;
  /** The numbers form, when the plan chose it: a chunk goes through every step as one Float64Array. */
  numbers?: {
    read(chunk: Chunk): Float64Array;
    /** The map steps' output for these numbers, or undefined when it would not be all numbers; `counts` as in pipe. */
    map(values: Float64Array, counts?: number[]): Float64Array | undefined;
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
  const checks = recordChecks(plan.checks, plan.context.params, plan.checkSpill);
  return {
    read: sourceReader(source, plan.emit),
    pipe: (sink, counts) => chain(maps, sink, counts),
    fans: maps.some(({ step }) => step.flatMap !== undefined),
    ...(numbers ? { numbers: { read: (chunk: Chunk) => source.step.fast!.numbers!(chunk, source.state), map: numberMaps(maps) } } : {}),
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

/** The map steps as one function over a Float64Array (none: identity). */
function numberMaps(maps: Loaded<MapStep>[]) {
  const bulk = maps.map(({ resolved, step, state }) => ({ resolved, map: step.fast!.numbers!.map, state }));
  return (values: Float64Array, counts?: number[]): Float64Array | undefined => {
    let out: Float64Array | undefined = values;
    for (let i = 0; i < bulk.length; i++) {
      const { resolved, map, state } = bulk[i]!;
      try {
        out = map(out, state);
      } catch (cause) {
        throw new StepFailure(resolved, cause);
      }
      if (out === undefined) return undefined;
      if (counts && i < counts.length) counts[i] = out.length;
    }
    return out;
  };
}

function chain(maps: Loaded<MapStep>[], sink: (record: unknown) => void, counts?: number[]) {
  let next = sink;
  for (let i = maps.length - 1; i >= 0; i--) {
    const { resolved, step, state } = maps[i]!;
    const down = counts && i < counts.length ? counting(next, counts, i) : next;
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

/** `down`, counting the records that pass into counts[i] (one add per record between two steps). */
function counting(down: (record: unknown) => void, counts: number[], i: number): (record: unknown) => void {
  return (record) => {
    counts[i]!++;
    down(record);
  };
}
