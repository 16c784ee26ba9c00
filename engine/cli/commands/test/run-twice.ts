// One test, run twice through the real engine: in one chunk, and in many small chunks on two worker
// threads. The output step is never run: the result comes back in memory.
import { performance } from 'node:perf_hooks';
import { FlowError, FlowErrors } from '../../../contract/errors.js';
import type { CheckOutcome } from '../../../contract/outcomes.js';
import type { StepSpec } from '../../../contract/plan.js';
import type { SharedPool } from '../../../execution/pool/pool.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { preparePipeline } from '../../../planning/prepare.js';
import { executePlan, summaryOf } from '../../../run/run.js';
import type { RunOptions } from '../../../run/types.js';
import type { TestCase } from './load.js';

export interface RunOnce {
  /** Present when the run succeeded. */
  result?: { value: unknown };
  error?: unknown;
  checks?: CheckOutcome[];
  chunks: number;
  recordsIn: number;
}

/** The most chunks the many-chunk run cuts the input into (fewer when it has fewer records). */
const MANY_CHUNKS = 16;
const ONE_CHUNK = { records: Number.MAX_SAFE_INTEGER };

export interface RunTwice {
  one: RunOnce;
  many: RunOnce;
  ms: number;
}

/** `threads`: the worker threads the many-chunk runs share (command.ts), if any. */
export async function runTwice(
  pipeline: string,
  test: TestCase,
  source: StepSpec | undefined,
  knownRecords: number | undefined,
  threads?: SharedPool,
): Promise<RunTwice> {
  const started = performance.now();
  const env = { ...process.env, ...test.env };
  const base = { set: test.set, ...(source ? { source } : {}), output: false };
  let scratch: string | undefined;
  const scratchDir = async () => (scratch ??= await mkdtemp(path.join(os.tmpdir(), 'flow-test-')));
  try {
    const one = await runOnce(pipeline, { ...base, env, workers: 1, chunking: ONE_CHUNK }, scratchDir);
    // Chunks of a few records: known from the test's input, else from the one-chunk run.
    const records = knownRecords ?? one.recordsIn;
    const perChunk = Math.max(1, Math.ceil(records / MANY_CHUNKS));
    // FLOW_NO_IN_PROCESS: the chunks go to real worker threads even when the job is tiny.
    const manyOptions = {
      ...base,
      env: { ...env, FLOW_NO_IN_PROCESS: '1' },
      workers: 2,
      chunking: { records: perChunk },
      ...(threads ? { sharedThreads: threads } : {}),
    };
    const many = await runOnce(pipeline, manyOptions, scratchDir);
    return { one, many, ms: performance.now() - started };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

async function runOnce(pipeline: string, options: RunOptions, scratchDir: () => Promise<string>): Promise<RunOnce> {
  try {
    const { plan } = await preparePipeline(pipeline, options);
    // A test writes nothing into the project: no output step, and the dead-letter file goes to a scratch folder.
    if (plan.onError.deadLetter) plan.onError = { ...plan.onError, deadLetter: path.join(await scratchDir(), 'dead-letter.ndjson') };
    const { result, summary } = await executePlan(plan, { ...options, output: false });
    return { result: { value: result }, ...(summary.checks ? { checks: summary.checks } : {}), chunks: summary.chunks, recordsIn: summary.recordsIn };
  } catch (error) {
    const summary = summaryOf(error);
    return { error, ...(summary?.checks ? { checks: summary.checks } : {}), chunks: summary?.chunks ?? 0, recordsIn: summary?.recordsIn ?? 0 };
  }
}

/** What must not depend on the chunking: the result, or the error's code and place, and the checks' verdicts. */
export function signature(run: RunOnce, show: (value: unknown) => string): string {
  const parts: string[] = [];
  if (run.result) parts.push(`result: ${show(run.result.value)}`);
  else {
    const errors = errorsOf(run.error);
    parts.push(`error: ${errors.length > 0 ? errors.map(errorKey).join('\n       ') : String((run.error as Error | undefined)?.message ?? run.error)}`);
  }
  for (const check of run.checks ?? []) parts.push(`check ${check.name}: ${check.passed ? 'passed' : 'failed'}, ${check.failing} of ${check.checked} failing`);
  return parts.join('\n');
}

export function errorsOf(error: unknown): FlowError[] {
  if (error instanceof FlowErrors) return error.errors;
  if (error instanceof FlowError) return [error];
  return [];
}

function errorKey(e: FlowError): string {
  const at = e.location ? ` at ${e.location.file}:${e.location.line}:${e.location.column}` : e.record?.line ? ` at ${e.record.file}:${e.record.line}` : '';
  return `${e.code}${at}${e.step ? ` in ${e.step}` : ''}`;
}
