// Turns what a worker reported (or how a chunk's attempts failed) into a FlowError naming the step and the record.
import { FlowError } from '../contract/errors.js';
import type { Chunk, RecordLocation, SourceStep } from '../contract/step.js';
import { stepLabel, type ResolvedStep } from '../contract/plan.js';
import type { ChunkResult } from './messages.js';
import type { AttemptFailure } from './retry.js';

type ErrorResult = Extract<ChunkResult, { type: 'error' }>;

export async function chunkFailure(result: ErrorResult, chunk: Chunk, source: SourceInfo): Promise<FlowError> {
  const { error, recordInChunk } = result;
  // Workers know offsets, not lines: the main thread asks the source where the record came from.
  const located = error.record?.line === undefined && recordInChunk !== undefined ? await locate(chunk, recordInChunk, source) : undefined;
  // No record at all when the chunk failed before reading one (a step's setup).
  // A place the worker left undefined (a line it could not count) is the located one.
  const known = error.record && Object.fromEntries(Object.entries(error.record).filter(([, v]) => v !== undefined));
  const record = known || located ? { ...located, ...known } : recordInChunk !== undefined ? { chunk: chunk.index, index: recordInChunk } : undefined;
  const failure = new FlowError({ ...error, ...(record ? { record } : {}) });
  if (result.stack && error.code === 'STEP_FAILED') failure.stack = result.stack;
  return failure;
}

/**
 * A chunk that failed every attempt (retry.ts): the chunk, its first record's origin, each attempt's
 * cause, and the step: a setup's, or the plugin map step (of `maps`) a dead or ended thread was in.
 */
export async function chunkFailed(chunk: Chunk, failures: AttemptFailure[], source?: SourceInfo, maps: ResolvedStep[] = []): Promise<FlowError> {
  const first = source ? await locate(chunk, 0, source) : undefined;
  const at = first?.line !== undefined ? `:${first.line}` : first?.row !== undefined ? ` row ${first.row}` : undefined;
  const from = first?.file !== undefined && at !== undefined ? ` (records from ${first.file}${at} on)` : '';
  const stepOf = (failure: AttemptFailure): string | undefined => {
    if (failure.kind === 'setup') return failure.error.step;
    const resolved = 'step' in failure && failure.step !== undefined ? maps[failure.step] : undefined;
    return resolved && stepLabel(resolved);
  };
  const step = failures.map(stepOf).find((s) => s !== undefined);
  const causes = failures.map((failure) => attemptCause(failure, stepOf(failure), step));
  // The same cause every time is said once.
  const said =
    failures.length === 1
      ? `its only attempt: ${causes[0]}`
      : causes.every((c) => c === causes[0])
        ? `all ${failures.length} attempts, each time: ${causes[0]}`
        : `all ${failures.length} attempts: ${causes.map((c, i) => `[${i + 1}] ${c}`).join('; ')}`;
  return new FlowError({
    code: 'CHUNK_FAILED',
    message: `chunk ${chunk.index}${from} failed ${said}`,
    hint: attemptsHint(failures),
    ...(step ? { step } : {}),
    record: { ...first, chunk: chunk.index },
  });
}

/** One attempt's cause, with the step it was in (`step`); a step is not repeated when the error already names it. */
function attemptCause(failure: AttemptFailure, step: string | undefined, named: string | undefined): string {
  const inStep = step === undefined ? '' : step === named ? ' in the step' : ` in ${step}`;
  if (failure.kind === 'died') return `its worker thread died${inStep}: ${failure.reason}`;
  if (failure.kind === 'unsendable') return `its result could not be sent back from its thread: ${failure.reason}`;
  if (failure.kind === 'timeout') return `it ran past chunk-timeout (${seconds(failure.ms)})${inStep} and its thread was ended`;
  // Its import or its setup threw: the worker cannot tell which.
  return `${step === named ? 'the step' : (step ?? 'a step')} could not be loaded or set up: ${failure.error.message}`;
}

function attemptsHint(failures: AttemptFailure[]): string {
  const kinds = new Set(failures.map((f) => f.kind));
  const hints = [
    kinds.has('died') ? 'a step called process.exit, ran out of memory or crashed its thread on these records' : '',
    kinds.has('timeout') ? 'a step hangs on these records (or in its setup), or the chunk needs a longer retries.chunk-timeout' : '',
    kinds.has('setup') ? (failures.map((f) => (f.kind === 'setup' ? f.error.hint : undefined)).find(Boolean) ?? "a step's setup (or import) threw") : '',
    kinds.has('unsendable') ? 'records and accumulators must be plain data (no functions or symbols)' : '',
  ];
  return `${hints.filter(Boolean).join('; ')} (retries.attempts sets how often a chunk is tried)`;
}

/** As the pipeline would say it: 10m, 1.5s, 250ms. */
const seconds = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000}m` : ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`);

export type SourceInfo = { step: SourceStep; resolved: ResolvedStep };

/** Where the k-th record of a chunk came from; undefined when the source cannot tell. */
export async function locate(chunk: Chunk, k: number, source: SourceInfo): Promise<RecordLocation | undefined> {
  if (!source.step.locate) return undefined;
  try {
    return await source.step.locate(chunk, k, source.resolved.options);
  } catch {
    // Locating is a courtesy; the error itself is what matters.
    return undefined;
  }
}
