// on-error skip or dead-letter, in the worker: a record the source could not read (a BadRecord), or
// on which a map step threw, is set aside with its error and the chunk goes on. Used only then: the
// clean path of a pipeline that fails on the first bad record has none of these checks.
import { isBadRecord, type BadRecord } from '../contract/bad-record.js';
import { isFlowError } from '../contract/errors.js';
import type { Rejection, WorkerPlan } from './messages.js';
import { StepFailure, type Program } from './program.js';

type Sink = (record: unknown) => void;

/** The map steps over `sink`, as a function of one source record that rejects instead of throwing; `at()` is the record's place in the chunk. */
export function rejecting(program: Program, sink: Sink, plan: WorkerPlan, rejected: Rejection[], at: () => number, counts?: number[]): Sink {
  const keep = plan.onError === 'dead-letter';
  // A flatMap may hand some of a record's outputs on before a later step throws on another: they
  // wait here until the whole record is through, so a rejected record contributes nothing.
  const staged: unknown[] = [];
  const pipe = program.pipe(program.fans ? (record) => void staged.push(record) : sink, counts);
  // The dead-letter file holds the record as read, and a step may change it in place (set does)
  // before a later step throws.
  const copy = keep && plan.map.length > 1;
  return (record) => {
    if (isBadRecord(record)) {
      rejected.push(unreadable(record, at(), keep));
      return;
    }
    const original = copy ? snapshot(record) : record;
    try {
      pipe(record);
    } catch (thrown) {
      // A reducer's throw is not the record's fault alone: it fails the chunk as before.
      if (!(thrown instanceof StepFailure) || thrown.step.kind !== 'map') throw thrown;
      staged.length = 0;
      rejected.push(failed(thrown, original, at(), keep));
      return;
    }
    if (staged.length > 0) {
      for (const out of staged) sink(out);
      staged.length = 0;
    }
  };
}

function unreadable(bad: BadRecord, recordInChunk: number, keep: boolean): Rejection {
  const { code, message, record } = bad.error;
  return {
    recordInChunk,
    step: 'source',
    code,
    message,
    ...(keep && bad.raw !== undefined ? { raw: bad.raw } : {}),
    ...(record?.file !== undefined ? { file: record.file } : {}),
    ...(record?.line !== undefined ? { line: record.line } : {}),
  };
}

function failed(failure: StepFailure, record: unknown, recordInChunk: number, keep: boolean): Rejection {
  const { cause } = failure;
  const [code, message] = isFlowError(cause) ? [cause.code, cause.message] : ['STEP_FAILED' as const, cause instanceof Error ? cause.message : String(cause)];
  return { recordInChunk, step: failure.step.path, code, message, ...(keep ? { record } : {}) };
}

function snapshot(record: unknown): unknown {
  if (record === null || typeof record !== 'object') return record;
  try {
    return structuredClone(record);
  } catch {
    return record; // not plain data (a plugin's record): kept as it is
  }
}
