// Turns what a worker reported (or how it died) into a FlowError naming the step and the record.
import { FlowError } from '../errors.js';
import type { Chunk, SourceStep } from '../step.js';
import type { ResolvedStep } from '../plan.js';
import type { ChunkResult } from './messages.js';

type ErrorResult = Extract<ChunkResult, { type: 'error' }>;

export async function chunkFailure(
  result: ErrorResult,
  chunk: Chunk,
  source: { step: SourceStep; resolved: ResolvedStep },
): Promise<FlowError> {
  const { error, recordInChunk } = result;
  let record = error.record;
  // Workers know offsets, not lines: the main thread asks the source where the record came from.
  if (record?.line === undefined && recordInChunk !== undefined && source.step.locate) {
    try {
      const located = await source.step.locate(chunk, recordInChunk, source.resolved.options);
      record = { ...located, ...record, chunk: chunk.index };
    } catch {
      // Locating is a courtesy; the error itself is what matters.
    }
  }
  record ??= { chunk: chunk.index, ...(recordInChunk !== undefined ? { index: recordInChunk } : {}) };
  const failure = new FlowError({ ...error, record });
  if (result.stack && error.code === 'STEP_FAILED') failure.stack = result.stack;
  return failure;
}

/** A rejected task means the worker itself died (process.exit, out of memory, a crash). */
export function workerDied(cause: unknown, chunk: Chunk): FlowError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new FlowError({
    code: 'WORKER_DIED',
    message: `a worker thread died while processing chunk ${chunk.index}: ${reason}`,
    hint: 'a step called process.exit, ran out of memory, or crashed the thread',
    record: { chunk: chunk.index },
  });
}
