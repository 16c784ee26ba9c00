// What crosses the thread boundary: plain data only, as tagged unions.
import type { ErrorCode, FlowErrorInit } from '../contract/errors.js';
import type { CheckSpec, Execution, OnError, ResolvedStep } from '../contract/plan.js';
import type { CheckState } from './checks/combiners.js';
import type { Chunk, StepContext } from '../contract/step.js';

/** Handed to every worker once, as workerData. */
export interface WorkerPlan {
  context: StepContext;
  source: ResolvedStep;
  map: ResolvedStep[];
  /** Without a reducer the worker returns the mapped records. */
  reduce?: ResolvedStep;
  /** The plan's choices (Plan.execution): the program is built in this form. */
  form: Execution['form'];
  emit: boolean;
  /** Plan.onError.action: with skip or dead-letter a bad record or a map step's throw is rejected, not fatal. */
  onError?: OnError['action'];
  /** Plan.watch's fields: the chunk result says which of them its records have. */
  watch?: string[];
  /** Plan.checks: the record checks run on the records that reach reduce/output. */
  checks?: CheckSpec[];
  /** With a unique check: the folder its key bytes are written to, a file per chunk. */
  checkSpill?: string;
}

/** A record left out of a chunk's result (on-error skip or dead-letter), in source order. */
export interface Rejection {
  /** Its place among the records the chunk read, bad ones included. */
  recordInChunk: number;
  /** `source` for a record that could not be read, else the map step's path, e.g. `map[1]`. */
  step: string;
  code: ErrorCode;
  message: string;
  /** With dead-letter: the record as read, or the raw text of one that could not be read. */
  record?: unknown;
  raw?: string;
  /** Where the source said the record is, when it knows (the main thread locates the others). */
  file?: string;
  line?: number;
}

export interface ChunkTask {
  chunk: Chunk;
  /** Run again after its result could not be cloned back: each record is cloned on the way (pool/sendable.ts). */
  sendable?: boolean;
  /** From a flow worker: the thread hands its result back as bytes (queue/codec.ts), an EncodedResult. */
  encode?: 'v8' | 'json';
  /** Where the thread marks the plugin map step it is in (step-marker.ts), for a death to name it. */
  marker?: SharedArrayBuffer;
  /** Its bytes were cut by the main thread: the thread yields the cores to that feeder (pool/feeder-first.ts). */
  feederFirst?: boolean;
  /** On a pool shared by runs (flow test): the run's plan, set up anew on a thread when `id` changes. */
  plan?: { id: number; plan: WorkerPlan };
}

/** The result of a task with `encode`: moved across as bytes, which a flow worker sends on as they are. */
export interface EncodedResult {
  type: 'encoded';
  bytes: Uint8Array;
}

interface ChunkCounters {
  index: number;
  /** Records read from the source. */
  recordsIn: number;
  /** Records that came out of the map steps. */
  recordsOut: number;
  /** Only when some were rejected. */
  rejected?: Rejection[];
  /** The record checks' states for this chunk (Plan.checks without rows and result), when there are some. */
  checks?: CheckState[];
  /** With WorkerPlan.watch: the watched fields some record of the chunk has. */
  seen?: string[];
  /** With two map steps or more: the records each map step but the last handed on (the report's per-step counts). */
  steps?: number[];
}

export type ChunkResult =
  | ({ type: 'partial'; acc: unknown } & ChunkCounters)
  | ({ type: 'records'; records: unknown[] } & ChunkCounters)
  /** Map-only output that is all numbers: moved across as one typed array instead of cloned. */
  | ({ type: 'numbers'; values: Float64Array } & ChunkCounters)
  /** `setup`: a step's import or setup threw, not a record: dispatch runs the chunk again (retries). */
  | ({ type: 'error'; error: FlowErrorInit; recordInChunk?: number; stack?: string; bug: boolean; setup?: boolean } & ChunkCounters);
