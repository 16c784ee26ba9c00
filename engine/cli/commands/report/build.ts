// The report of a run (--report FILE, schemaVersion 1): plain data built from what the run returned
// or reached before it failed. Its JSON Schema is schemas/report.schema.json (`flow schema --report`).
import path from 'node:path';
import { exitCodeOf, FlowError, FlowErrors, type FlowErrorInit } from '../../../contract/errors.js';
import type { CheckOutcome, RunWarning } from '../../../contract/outcomes.js';
import type { StageName } from '../../../contract/observer.js';
import type { RunSummary } from '../../../run/types.js';
import type { StepCount } from '../../../run/step-counts.js';

export interface ReportOutput {
  /** `output`, or `dead-letter` for on-error's file of rejected records. */
  kind: 'output' | 'dead-letter';
  /** Relative to the working directory; absent for stdout. */
  path?: string;
  stdout?: true;
  format: string;
  /** Records written (a single value counts 1); absent when nothing was written. */
  records?: number;
  bytes?: number;
  sha256?: string;
  written: boolean;
}

export interface Report {
  schemaVersion: 1;
  flow: { version: string };
  pipeline: { path: string; name?: string };
  status: 'ok' | 'failed';
  exitCode: number;
  startedAt: string;
  elapsedMs: number;
  params: Record<string, unknown>;
  workers?: number | 'in-process';
  inputs: Array<{ path: string; bytes: number; format?: string }>;
  outputs: ReportOutput[];
  steps: StepCount[];
  checks: CheckOutcome[];
  retries: number;
  /** Milliseconds per stage reached: validate, resolve, run, reduce, write. */
  stages: Partial<Record<StageName, number>>;
  warnings: RunWarning[];
  errors: FlowErrorInit[];
  /** The run's counters as the engine keeps them (chunks, records, bytes, memory, fast paths). */
  summary?: RunSummary;
}

export interface ReportInput {
  /** The pipeline as given on the command line. */
  file: string;
  version: string;
  /** Date.now() when the command started. */
  started: number;
  /** Date.now() when it ended (default: now). */
  ended?: number;
  params?: Record<string, unknown>;
  summary?: RunSummary;
  stages?: Partial<Record<StageName, number>>;
  outputs?: ReportOutput[];
  error?: unknown;
  /** Paths are shown relative to this folder (default: the cwd). */
  cwd?: string;
}

export function buildReport(input: ReportInput): Report {
  const { summary, error } = input;
  const cwd = input.cwd ?? process.cwd();
  const relative = (file: string) => shownPath(file, cwd);
  return {
    schemaVersion: 1,
    flow: { version: input.version },
    pipeline: { path: input.file, ...(summary?.name ? { name: summary.name } : {}) },
    status: error === undefined ? 'ok' : 'failed',
    exitCode: error === undefined ? 0 : exitCodeOf(error),
    startedAt: new Date(input.started).toISOString(),
    elapsedMs: Math.round((input.ended ?? Date.now()) - input.started),
    params: input.params ?? {},
    ...(summary ? { workers: summary.workers } : {}),
    inputs: (summary?.inputs ?? []).map((i) => ({ ...i, path: relative(i.path) })),
    outputs: input.outputs ?? [],
    steps: summary?.steps ?? [],
    checks: summary?.checks ?? [],
    retries: summary?.retried ?? 0,
    stages: input.stages ?? {},
    warnings: summary?.warnings ?? [],
    errors: error === undefined ? [] : errorsOf(error),
    ...(summary ? { summary: counters(summary) } : {}),
  };
}

/** The summary without what the report gives at its top level already. */
function counters(summary: RunSummary): RunSummary {
  const { steps: _steps, inputs: _inputs, ...rest } = summary;
  return rest;
}

/** A path as the user would type it from `cwd`: relative inside it, absolute outside. */
export function shownPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

/** The errors as the catalogue's plain data (a location holds file, line and column). */
export function errorsOf(error: unknown): FlowErrorInit[] {
  const all = error instanceof FlowErrors ? error.errors : [error];
  return all.map((e) =>
    e instanceof FlowError ? e.toJSON() : ({ code: 'BUG', message: e instanceof Error ? e.message : String(e) } as unknown as FlowErrorInit),
  );
}
