// --report FILE: a JSON account of the run for CI (status, counters, timings, error).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exitCodeOf, FlowError, FlowErrors } from '../../contract/errors.js';
import type { RunSummary } from '../../run/run.js';

export interface ReportInput {
  file: string;
  started: number;
  summary?: RunSummary;
  error?: unknown;
}

export async function writeReport(target: string, input: ReportInput): Promise<void> {
  const report = {
    pipeline: input.file,
    status: input.error === undefined ? 'ok' : 'failed',
    exitCode: input.error === undefined ? 0 : exitCodeOf(input.error),
    startedAt: new Date(input.started).toISOString(),
    elapsedMs: Date.now() - input.started,
    ...(input.summary ? { summary: input.summary } : {}),
    ...(input.error !== undefined ? { errors: errorsOf(input.error) } : {}),
  };
  await mkdir(path.dirname(path.resolve(target)), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  await writeFile(temp, `${JSON.stringify(report, null, 2)}\n`);
  await rename(temp, target);
}

function errorsOf(error: unknown): unknown[] {
  if (error instanceof FlowErrors) return error.errors.map((e) => e.toJSON());
  if (error instanceof FlowError) return [error.toJSON()];
  return [{ code: 'BUG', message: error instanceof Error ? error.message : String(error) }];
}
