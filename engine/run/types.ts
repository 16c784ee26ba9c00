// What a run is given and what it gives back: options, result and the summary reports are built from.
import type { Execution } from '../contract/plan.js';
import type { CheckOutcome, RunWarning } from '../contract/outcomes.js';
import type { SharedPool } from '../execution/pool/pool.js';
import type { QueueSummary } from '../execution/queue/index.js';
import type { FlowOptions } from '../planning/options.js';
import type { Schedule } from '../planning/schedule.js';
import type { StepCount } from './step-counts.js';

export interface RunOptions extends FlowOptions {
  /** `flow run --queue URL`: the chunks go to `flow worker`s through BullMQ (docs/distributed.md). */
  queue?: { url: string; prefix: string };
  /** Worker threads kept from run to run (flow test), used instead of starting the run's own. */
  sharedThreads?: SharedPool;
}

export interface RunSummary {
  name?: string;
  /** Worker threads used, or `in-process` when a tiny job of built-in steps ran on the main thread. */
  workers: number | 'in-process';
  chunks: number;
  recordsIn: number;
  recordsOut: number;
  bytes: number;
  /** Whole milliseconds. */
  elapsedMs: number;
  /** The files the source read, when it names them (`path` absolute). */
  inputs?: Array<{ path: string; bytes: number; format?: string }>;
  /** Records into and out of each step (and those it rejected), as far as the run got. */
  steps?: StepCount[];
  /** Peak resident memory of the whole process (worker threads included), in MiB. */
  peakRssMiB: number;
  /** Records skipped or dead-lettered (on-error skip or dead-letter only); counted in recordsIn too. */
  rejected?: number;
  /** Attempts at chunks that failed and were run again (retries); only when there were some. */
  retried?: number;
  /** The data checks (`checks:`) and how they came out. */
  checks?: CheckOutcome[];
  /** Warnings found during the run (`--strict` makes them exit 3). */
  warnings?: RunWarning[];
  /** With --queue: the Redis and the workers that ran chunks, with how many each. */
  queue?: QueueSummary;
  /** The fast paths the plan took, and why (docs/architecture.md, "Fast paths"). */
  execution: { where: Schedule['where']; form: Execution['form']; emit: boolean; fields?: string[]; reasons: string[] };
}

export interface RunResult {
  /** The reduce step's result; for a map-only pipeline, its records with `output: false`, else undefined. */
  result?: unknown;
  summary: RunSummary;
}
