// The public step contract. Built-in steps and plugins use exactly these types and helpers.
import type { FromSchema } from './schema-types.js';

export type { FromSchema } from './schema-types.js';

export type JSONSchema = { [key: string]: unknown };

export interface StepExample {
  title: string;
  /** A YAML step, e.g. `step: filter\nwith: { where: "r.delay > 60" }`. Validated in the tests. */
  yaml: string;
}

export type StepKind = 'source' | 'map' | 'reduce' | 'output';

/** What a step sees of its surroundings, on the main thread and in workers alike. */
export interface StepContext {
  /** Absolute folder of the pipeline file: relative paths in options resolve against it. */
  pipelineDir: string;
  /** Absolute path of the pipeline file, when the pipeline came from a file. */
  pipelineFile?: string;
  /**
   * The params in effect (the defaults with `--set` applied), typed; read-only. Hand them to the
   * expression compiler so `params.NAME` reads them (`compileExpr(source, ctx.params)`).
   */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** A problem with a step's options found by its own `check`, beyond what the JSON Schema says. */
export interface OptionIssue {
  /** Path inside `with:`, e.g. `where` or `fields.hour`. */
  path: string;
  message: string;
  code?: 'EXPR_SYNTAX' | 'EXPR_UNKNOWN_FUNCTION' | 'EXPR_FORBIDDEN' | 'UNDEFINED_PARAM' | 'INVALID_VALUE' | 'NO_INPUT_MATCH';
  /** Character offset inside the string value at `path`, so the error points inside it. */
  offset?: number;
  length?: number;
  hint?: string;
}

interface StepCommon<O = any> {
  name: string;
  summary: string;
  description?: string;
  /** JSON Schema (draft-07) of `with:`; every property described. */
  options: JSONSchema;
  /** The flow versions this step works with, an npm-style range (`>=0.1 <1`, `^0.1`); checked at resolve. */
  flow?: string;
  examples?: StepExample[];
  /**
   * Validation time, main thread: checks the JSON Schema cannot express (an expression's syntax,
   * an input path that matches no file). Runs for `flow validate` too, before anything runs.
   */
  check?(options: O, ctx: StepContext): OptionIssue[];
}

/** One unit of work: plain data that crosses into a worker. `index` is assigned by the engine. */
export interface Chunk<D = unknown> {
  index: number;
  data: D;
  /** What this chunk weighs, for progress. */
  bytes?: number;
  records?: number;
}

export interface ChunkingOptions {
  records?: number;
  bytes?: number;
}

export interface SplitContext extends StepContext {
  chunking: ChunkingOptions;
  workers: number;
  /** What the engine knows of the rest of the pipeline; a source may ignore every hint. */
  hints: SplitHints;
}

export interface SplitHints {
  /** Top-level record fields the pipeline reads, when the engine can tell; undefined means all. */
  fields?: string[];
  /**
   * The workers reduce the records: a chunk sends back one partial result, never its records, so a
   * bigger chunk costs no memory and means fewer partials to pass and merge.
   */
  reduced?: boolean;
  /**
   * The engine takes a BadRecord (engine/contract/bad-record.ts) in place of a record the source
   * cannot read: yield or emit one instead of throwing, and go on with the next record.
   */
  rejects?: boolean;
  /**
   * Chunks must be descriptors another machine can read (a `flow run --queue`): no data in them. A
   * source that can only hand over its data (a stream) throws a FlowError saying so.
   */
  portable?: boolean;
}

/** Where a record came from, for error messages. */
export interface RecordLocation {
  file?: string;
  line?: number;
  /** 1-based row of a file without lines (Parquet): shown as `x.parquet row 12`. */
  row?: number;
  /** Zero-based index of the record in the whole source, when known. */
  index?: number;
}

export interface SourcePlan<D = unknown> {
  chunks: Iterable<Omit<Chunk<D>, 'index'>> | AsyncIterable<Omit<Chunk<D>, 'index'>>;
  /** Totals when known up front, for progress. */
  total?: { chunks?: number; bytes?: number; records?: number };
  /** The files (or URLs) read, for the run's report: `path` absolute. */
  inputs?: Array<{ path: string; bytes: number; format?: string }>;
}

export interface SourceStep<O = any, S = any, D = any> extends StepCommon<O> {
  kind: 'source';
  /** Main thread: cut the source into chunk descriptors. Never reads or parses records itself. */
  split(options: O, ctx: SplitContext): SourcePlan<D> | Promise<SourcePlan<D>>;
  /** Worker: once per worker, before the first chunk. */
  setup?(options: O, ctx: StepContext): S | Promise<S>;
  /**
   * Worker, before `read` (and any `fast` member), once per chunk: the descriptor made into one that
   * `read` can read synchronously (a URL's byte range fetched). Throws what `read` would throw.
   */
  prepare?(chunk: Chunk<D>, state: S): Chunk<D> | Promise<Chunk<D>>;
  /** Worker: the records of one chunk, in source order. */
  read(chunk: Chunk<D>, state: S): Iterable<unknown>;
  /** Main thread, on error only: where the k-th record of a chunk came from. */
  locate?(chunk: Chunk<D>, recordInChunk: number, options: O): RecordLocation | Promise<RecordLocation>;
  /**
   * Main thread, at validation: the top-level fields every record has, when known before the run
   * (a CSV header); undefined when not known. Lets flow report a misspelt field name as an error.
   */
  fields?(options: O, ctx: StepContext): string[] | undefined;
  /** Optional speed-ups (docs/architecture.md, "Speed-ups"): each gives exactly what `read` gives. */
  fast?: SourceSpeedUps<S, D>;
}

/** What a source may offer besides `read`. The engine picks one when a worker loads the step. */
export interface SourceSpeedUps<S = any, D = any> {
  /** Hands the chunk's records to `emit` in source order, with no iterator step per record; throws what `read` throws. */
  each?(chunk: Chunk<D>, state: S, emit: (record: unknown) => void): void;
  /**
   * Every record of every chunk is a number: the chunk as one Float64Array, valid until the next
   * call (the engine copies what it keeps). Lets numeric jobs skip record objects altogether.
   */
  numbers?(chunk: Chunk<D>, state: S): Float64Array;
  /**
   * The chunk's records as columns, or undefined for a chunk it cannot give so (the engine then reads
   * it record by record). The arrays may be reused by the next call: valid until then.
   */
  columns?(chunk: Chunk<D>, state: S): ColumnBatch | undefined;
}

/**
 * A chunk's records as columns (a source's `fast.columns`): row i is the record `read` gives, each
 * field the value of its column at i, in the order of `columns`. A field with no column is missing.
 */
export interface ColumnBatch {
  rows: number;
  columns: ReadonlyMap<string, Column>;
}

/** Row i's value: `values[i]`, or `dictionary[indices[i]]` (few distinct values, each given once). */
export type Column = { values: ArrayLike<unknown> } | { dictionary: ArrayLike<unknown>; indices: ArrayLike<number> };

export interface MapStep<O = any, S = any> extends StepCommon<O> {
  kind: 'map';
  /** Once per worker; compile expressions here. */
  setup?(options: O, ctx: StepContext): S | Promise<S>;
  /** One record in, one out; `undefined` drops the record. Exactly one of map and flatMap. */
  map?(record: any, state: S): unknown;
  /** One record in, zero or more out. */
  flatMap?(record: any, state: S): Iterable<unknown>;
  /** Top-level fields this step reads, when known: readers may skip the rest. undefined: all. */
  fields?(options: O): string[] | undefined;
  /** Optional speed-ups (docs/architecture.md, "Speed-ups"): each gives exactly what `map` gives. */
  fast?: MapSpeedUps<O, S>;
}

export interface MapSpeedUps<O = any, S = any> {
  /** Numbers in, numbers out, with no record objects (a `map` step only). */
  numbers?: {
    /**
     * The step's output for all of these numbers as a new Float64Array, or undefined when that
     * output would not be all numbers (the engine then maps record by record). No side effects:
     * its result may be dropped.
     */
    map(values: Float64Array, state: S): Float64Array | undefined;
    /** True when, with these options, `map` gives numbers for any numbers: lets the engine plan a numeric job. */
    always(options: O): boolean;
  };
}

/**
 * A reducer is a combiner. `merge` must be associative with `init()` as its identity, so chunk
 * results can be combined in any grouping. Accumulators cross threads: keep them plain data.
 */
export interface ReduceStep<O = any, S = any, A = any, R = unknown> extends StepCommon<O> {
  kind: 'reduce';
  /** Runs in every worker and on the main thread. */
  setup?(options: O, ctx: StepContext): S;
  init(state: S): A;
  add(acc: A, record: any, state: S): A;
  merge(a: A, b: A, state: S): A;
  finish(acc: A, state: S): R;
  /** Top-level fields this step reads, when known: readers may skip the rest. undefined: all. */
  fields?(options: O): string[] | undefined;
  /** Optional speed-ups (docs/architecture.md, "Speed-ups"): each gives exactly what `add` gives. */
  fast?: ReduceSpeedUps<S, A>;
}

export interface ReduceSpeedUps<S = any, A = any> {
  /** Adds every number of a Float64Array at once: exactly what `add` on each would give. */
  numbers?(acc: A, values: Float64Array, state: S): A;
  /**
   * Adds every row of a source's column batch, in order: exactly what `add` on each row's record
   * would give. Where `add` would throw it may throw anything: the engine then adds the chunk record
   * by record from `init()`, which names the record. Keeps no reference to the batch's arrays.
   */
  columns?(acc: A, batch: ColumnBatch, state: S): A;
}

export type OutputFormat = 'json' | 'ndjson' | 'csv';

export interface OutputContext extends StepContext {
  /** True when the records come one batch at a time (map-only pipelines). */
  streaming: boolean;
  /**
   * True when the run may still fail after the last record (data checks, --strict): an output
   * that shows records as they come (a stream) must hold them back until `commit`.
   */
  held?: boolean;
}

/** An open output. Nothing may be visible to readers before `commit`. */
export interface OutputSink {
  /** The reader is gone (a closed pipe): further writes are discarded and the run may stop early. */
  readonly closed?: boolean;
  /** A batch of records, in source order (map-only pipelines, or the items of an array result). */
  write(records: unknown[]): void | Promise<void>;
  /** A single reduce result that is not an array. */
  writeValue?(value: unknown): void | Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface OutputStep<O = any> extends StepCommon<O> {
  kind: 'output';
  open(options: O, ctx: OutputContext): OutputSink | Promise<OutputSink>;
}

export type Step = SourceStep | MapStep | ReduceStep | OutputStep;

declare const inferOptions: unique symbol;
/** The default of a step's options type: infer it from the `options` schema literal. */
export interface InferOptions {
  readonly [inferOptions]: true;
}

/** Explicit options type if given; else the schema's type (any for a schema that is not a literal). */
export type OptionsOf<O, Sch> = 0 extends 1 & O ? any : [O] extends [InferOptions] ? (string extends keyof Sch ? any : FromSchema<Sch>) : O;

/**
 * Identity helper that types a step definition. The options type comes from the `options` schema
 * literal (no `as const` needed), or from an explicit first type argument: `defineStep<Options>(...)`.
 */
export function defineStep<O = InferOptions, S = any, D = any, const Sch extends JSONSchema = JSONSchema>(
  step: SourceStep<OptionsOf<O, Sch>, S, D> & { options: Sch },
): SourceStep<OptionsOf<O, Sch>, S, D>;
export function defineStep<O = InferOptions, S = any, const Sch extends JSONSchema = JSONSchema>(
  step: MapStep<OptionsOf<O, Sch>, S> & { options: Sch },
): MapStep<OptionsOf<O, Sch>, S>;
export function defineStep<O = InferOptions, S = any, A = any, R = unknown, const Sch extends JSONSchema = JSONSchema>(
  step: ReduceStep<OptionsOf<O, Sch>, S, A, R> & { options: Sch },
): ReduceStep<OptionsOf<O, Sch>, S, A, R>;
export function defineStep<O = InferOptions, const Sch extends JSONSchema = JSONSchema>(
  step: OutputStep<OptionsOf<O, Sch>> & { options: Sch },
): OutputStep<OptionsOf<O, Sch>>;
export function defineStep(step: Step): Step {
  return step;
}

/** Identity helper for reducers (combiners), kind included; options typed as in defineStep. */
export function defineReducer<O = InferOptions, S = any, A = any, R = unknown, const Sch extends JSONSchema = JSONSchema>(
  reducer: Omit<ReduceStep<OptionsOf<O, Sch>, S, A, R>, 'kind'> & { kind?: 'reduce'; options: Sch },
): ReduceStep<OptionsOf<O, Sch>, S, A, R> {
  return { ...reducer, kind: 'reduce' } as ReduceStep<OptionsOf<O, Sch>, S, A, R>;
}
