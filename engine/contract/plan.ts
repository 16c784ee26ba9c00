// The shapes that flow between stages: the validated spec, and the resolved plan.
import type { ChunkingOptions, StepKind } from './step.js';
import type { SourceLocation } from './errors.js';

/** A step as written (a bare string is normalised to `{ step }`). */
export interface StepSpec {
  step: string;
  with?: Record<string, unknown>;
}

/** A pipeline file after interpolation and validation. */
export interface PipelineSpec {
  name?: string;
  params?: Record<string, unknown>;
  source: StepSpec;
  chunking?: ChunkingOptions;
  map?: StepSpec[];
  reduce?: StepSpec;
  output?: StepSpec;
  workers?: 'auto' | number;
  /** `on-error:`, validated (the dead-letter path still relative to the pipeline's folder). */
  onError?: OnError;
  /** `retries:`, validated. */
  retries?: Retries;
  /** `checks:`, validated. */
  checks?: CheckSpec[];
}

/** One data check (`checks:`), validated: plain data, handed to workers as it is. */
export type CheckSpec = CheckCommon &
  (
    | { kind: 'rows'; min?: number; max?: number }
    | { kind: 'not-null'; fields: string[] }
    /** The fields form one composite key. */
    | { kind: 'unique'; fields: string[] }
    | { kind: 'values-in'; field: string; values: unknown[] }
    /** An expression over each record `r`. */
    | { kind: 'where'; expr: string }
    /** An expression over the final result, `result`. */
    | { kind: 'result'; expr: string }
  );

interface CheckCommon {
  /** The check's `name:`, else one made from its kind and fields (`not-null: origin, delay`). */
  name: string;
  severity: 'error' | 'warn';
  /** Failing records allowed: a count or a share of the records checked. */
  allow: { count: number } | { share: number };
  /** `checks[2]` */
  path: string;
  /** Where the check is written (its kind key). */
  location?: SourceLocation;
}

/** What happens to a record that cannot be read, or on which a map step throws. */
export interface OnError {
  action: 'fail' | 'skip' | 'dead-letter';
  /** With `dead-letter`: where the rejected records go (absolute in a Plan). */
  deadLetter?: string;
  /** The error budget: more rejected records than this fails the run; undefined: no limit. */
  max?: { count: number } | { share: number };
}

/** When a chunk is run again: its worker died, it ran past the timeout, or a step's setup threw. */
export interface Retries {
  /** Attempts in all, the first included. */
  attempts: number;
  /** A chunk running longer is abandoned, its thread ended, and retried; undefined: no limit. */
  chunkTimeoutMs?: number;
}

/** A step whose module is found: only plain data, so it can be handed to workers. */
export interface ResolvedStep {
  kind: StepKind;
  /** The name as written in the pipeline (`filter`, `./steps/x.ts`, `flow-step-geo`). */
  name: string;
  /** An importable specifier (a file: URL) of the module whose default export is the step. */
  module: string;
  /** Named export to use instead of the default one (packages exporting several steps). */
  exportName?: string;
  options: Record<string, unknown>;
  /** Option path prefix in the pipeline, e.g. `map[1]`. */
  path: string;
  location?: SourceLocation;
}

/** The steps a run's workers run, in order: the source, the map steps, the reducer if any. */
export function runSteps<S>(plan: { source: S; map: readonly S[]; reduce?: S }): S[] {
  return [plan.source, ...plan.map, ...(plan.reduce ? [plan.reduce] : [])];
}

/** How messages and reports name a step: `map[1] (./steps/geo.ts)`. */
export function stepLabel(step: Pick<ResolvedStep, 'path' | 'name'>): string {
  return `${step.path} (${step.name})`;
}

export interface Plan {
  name?: string;
  /** Absolute path of the pipeline file, if any. */
  pipelineFile?: string;
  pipelineDir: string;
  /** The params in effect (defaults with `--set` applied), typed: the steps' `ctx.params`. */
  params?: Readonly<Record<string, unknown>>;
  source: ResolvedStep;
  map: ResolvedStep[];
  reduce?: ResolvedStep;
  output: ResolvedStep;
  workers: number;
  chunking: ChunkingOptions;
  /** Top-level fields the map and reduce steps read, when known and projection is on. */
  fields?: string[];
  /** Fields read by name that the source's records must have, only the data can tell (NDJSON): watched during the run. */
  watch?: FieldWatch[];
  /** How the chunks run, decided with the steps in hand (docs/architecture.md, "Fast paths"). */
  execution: Execution;
  /** Default: fail on the first bad record. */
  onError: OnError;
  /** Default: 3 attempts, no timeout. */
  retries: Retries;
  /** The data checks, in the order written; none: undefined. */
  checks?: CheckSpec[];
}

/** The fast paths a plan takes, each with the reason it was taken or not. */
export interface Execution {
  /**
   * `numbers`: a chunk goes through every step as one Float64Array; `columns`: the reducer adds a
   * chunk from the source's columns (a chunk the source cannot give so goes record by record);
   * `records`: record by record.
   */
  form: 'records' | 'numbers' | 'columns';
  /** A numeric job surely stays numbers through every step (the in-process limit is higher then). */
  surelyNumbers: boolean;
  /** The source hands records to a callback (its `fast.each`) instead of an iterator. */
  emit: boolean;
  /** Why each choice was made, one line each. */
  reasons: string[];
}

/** A field a step reads that the source's records should have: a warning when no record has it. */
export interface FieldWatch {
  field: string;
  /** The first step that reads it: `map[0] (filter)`. */
  step: string;
  /** Where it is named: `map[0].with.where`. */
  path: string;
  location?: SourceLocation;
}
