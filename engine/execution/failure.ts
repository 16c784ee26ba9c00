// Turns what a worker reported (or how it died) into a FlowError naming the step and the record.
import { FlowError } from '../contract/errors.js';
import type { Chunk, RecordLocation, SourceStep } from '../contract/step.js';
import type { ResolvedStep } from '../contract/plan.js';
import type { ChunkResult } from './messages.js';

type ErrorResult = Extract<ChunkResult, { type: 'error' }>;

export async function chunkFailure(result: ErrorResult, chunk: Chunk, source: SourceInfo): Promise<FlowError> {
  const { error, recordInChunk } = result;
  // Workers know offsets, not lines: the main thread asks the source where the record came from.
  const located = error.record?.line === undefined && recordInChunk !== undefined ? await locate(chunk, recordInChunk, source) : undefined;
  // No record at all when the chunk failed before reading one (a step's setup).
  const record =
    error.record || located ? { ...located, ...error.record } : recordInChunk !== undefined ? { chunk: chunk.index, index: recordInChunk } : undefined;
  const failure = new FlowError({ ...error, ...(record ? { record } : {}) });
  if (result.stack && error.code === 'STEP_FAILED') failure.stack = result.stack;
  return failure;
}

/** A rejected task means the worker itself died (process.exit, out of memory, a crash). */
export async function workerDied(cause: unknown, chunk: Chunk, source?: SourceInfo): Promise<FlowError> {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const first = source ? await locate(chunk, 0, source) : undefined;
  const from = first?.file !== undefined && first.line !== undefined ? ` (records from ${first.file}:${first.line} on)` : '';
  return new FlowError({
    code: 'WORKER_DIED',
    message: `a worker thread died while processing chunk ${chunk.index}${from}: ${reason}`,
    hint: 'a step called process.exit, ran out of memory, or crashed the thread',
    record: first ?? { chunk: chunk.index },
  });
}

type SourceInfo = { step: SourceStep; resolved: ResolvedStep };

/** Where the k-th record of a chunk came from; undefined when the source cannot tell. */
async function locate(chunk: Chunk, k: number, source: SourceInfo): Promise<RecordLocation | undefined> {
  if (!source.step.locate) return undefined;
  try {
    return await source.step.locate(chunk, k, source.resolved.options);
  } catch {
    // Locating is a courtesy; the error itself is what matters.
    return undefined;
  }
}
