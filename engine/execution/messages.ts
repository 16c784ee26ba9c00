// What crosses the thread boundary: plain data only, as tagged unions.
import type { FlowErrorInit } from '../contract/errors.js';
import type { Execution, ResolvedStep } from '../contract/plan.js';
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
}

export interface ChunkTask {
  chunk: Chunk;
}

interface ChunkCounters {
  index: number;
  /** Records read from the source. */
  recordsIn: number;
  /** Records that came out of the map steps. */
  recordsOut: number;
}

export type ChunkResult =
  | ({ type: 'partial'; acc: unknown } & ChunkCounters)
  | ({ type: 'records'; records: unknown[] } & ChunkCounters)
  /** Map-only output that is all numbers: moved across as one typed array instead of cloned. */
  | ({ type: 'numbers'; values: Float64Array } & ChunkCounters)
  /** `setup`: a step's import or setup threw, not a record: dispatch runs the chunk again (retries). */
  | ({ type: 'error'; error: FlowErrorInit; recordInChunk?: number; stack?: string; bug: boolean; setup?: boolean } & ChunkCounters);
