// What fails a queued run outright rather than an attempt: a worker's refusal (its code or the data
// differ from the coordinator's), and a source whose chunks carry their data.
import { FlowError, type FlowErrorInit } from '../../contract/errors.js';
import { stepLabel, type ResolvedStep } from '../../contract/plan.js';
import type { Chunk } from '../../contract/step.js';
import { carriesData } from '../carried.js';

// A refusal travels as the job's failedReason: this marker, then JSON.
const MARK = 'flow-refusal:';

/** The failedReason of a job a worker refused (an UnrecoverableError's message: BullMQ does not retry it). */
export function refusalReason(error: FlowError, worker: string): string {
  return MARK + JSON.stringify({ error: error.toJSON(), worker });
}

/** The run's error for a refused job, naming the worker; undefined for any other failure. */
export function workerFailure(failedReason: string): FlowError | undefined {
  if (!failedReason.startsWith(MARK)) return undefined;
  const { error, worker } = JSON.parse(failedReason.slice(MARK.length)) as { error: FlowErrorInit; worker: string };
  return new FlowError({ ...error, message: `worker ${worker} refused the run: ${error.message}` });
}

/**
 * Jobs carry chunk descriptors, never the data: a chunk that holds its text (a stream: standard
 * input, a gzip file, a FIFO) cannot go through the queue. A source that knows better refuses at its
 * split, told by the hint `portable` (the file source, for a URL without ranges or a gzip URL); this
 * catches any other source's data-carrying chunk at the first one.
 */
export function refusedStream(chunk: Chunk, source: ResolvedStep): FlowError | undefined {
  if (!carriesData(chunk)) return undefined;
  const given = (chunk.data as { name?: unknown }).name;
  const name = typeof given === 'string' ? given : 'the input';
  return new FlowError({
    code: 'QUEUE_STREAM_SOURCE',
    message: `${name} is read as a stream, whose chunks carry their text: --queue sends chunk descriptors only, and every machine reads the input itself`,
    step: stepLabel(source),
    ...(source.location ? { location: source.location } : {}),
    hint: 'put the input, decompressed, on storage every machine sees (a shared folder, or a copy in each project), or run without --queue',
  });
}
