// --report FILE: a JSON account of the run for CI (status, counters, timings, error).
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exitCodeOf, FlowError, FlowErrors } from '../../contract/errors.js';
import type { RunSummary } from '../../run/run.js';
import { removeStaleTemps, tempPathFor, trackTemp } from '../../../steps/kit/serialize/temp-files.js';

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
  const file = path.resolve(target);
  await mkdir(path.dirname(file), { recursive: true });
  // Written like an output: a temp beside it renamed over it; temps of killed runs are removed.
  await removeStaleTemps(file);
  const temp = tempPathFor(file);
  const untrack = trackTemp(temp);
  try {
    await writeFile(temp, `${JSON.stringify(report, null, 2)}\n`, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  } finally {
    untrack();
  }
}

function errorsOf(error: unknown): unknown[] {
  if (error instanceof FlowErrors) return error.errors.map((e) => e.toJSON());
  if (error instanceof FlowError) return [error.toJSON()];
  return [{ code: 'BUG', message: error instanceof Error ? error.message : String(error) }];
}
