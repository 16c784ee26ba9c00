// on-error on the main thread: the records the workers rejected, chunk by chunk in chunk order,
// located, counted against the error budget and written to the dead-letter file. That file is
// written like an output (a temp file renamed on commit): on failure there is none.
import path from 'node:path';
import { FlowError, isFlowError } from '../contract/errors.js';
import type { OnError, Plan } from '../contract/plan.js';
import type { Chunk, OutputSink, RecordLocation, SourceStep } from '../contract/step.js';
import { locate as locateRecord } from '../execution/failure.js';
import type { Rejection } from '../execution/messages.js';
import { createEncoder, encodingSink } from '../../steps/kit/serialize/index.js';
import { openAtomic } from '../../steps/output-file.js';

export interface Rejects {
  /** Records rejected so far. */
  readonly count: number;
  /** A chunk's rejections, in chunk order; throws ERROR_BUDGET as soon as the budget is surely spent. */
  take(rejected: Rejection[], chunk: Chunk): Promise<void>;
  /** After the last chunk: a share budget against every record read (unreadable ones included). */
  check(recordsRead: number): void;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

interface First {
  rejection: Rejection;
  where: RecordLocation & { chunk?: number };
}

/** `totalRecords`: the source's count up front, when known, so that a share budget can fail early. */
export async function openRejects(plan: Plan, source: SourceStep, totalRecords?: number): Promise<Rejects> {
  const { deadLetter, max } = plan.onError;
  const shown = deadLetter ? path.relative(plan.pipelineDir, deadLetter) : undefined;
  const sink = deadLetter ? await atDeadLetter(shown!, () => openDeadLetter(deadLetter, shown!)) : undefined;
  let count = 0;
  let first: First | undefined;

  const locate = async (r: Rejection, chunk: Chunk): Promise<RecordLocation & { chunk?: number }> => {
    if (r.line !== undefined) return { ...(r.file !== undefined ? { file: r.file } : {}), line: r.line };
    const found = await locateRecord(chunk, r.recordInChunk, { step: source, resolved: plan.source });
    if (found && (found.file !== undefined || found.line !== undefined)) return found;
    // The source cannot tell: the chunk and place still say which record it was.
    return { chunk: chunk.index, index: r.recordInChunk };
  };
  const spent = (limit: number, read?: number): FlowError => budgetError(count, limit, max!, first!, read);

  return {
    get count() {
      return count;
    },
    async take(rejected, chunk) {
      const lines: unknown[] = [];
      for (const r of rejected) {
        count++;
        // Only the dead-letter file needs every record's place; the error needs the first one's.
        const where = sink || !first ? await locate(r, chunk) : undefined;
        first ??= { rejection: r, where: where! };
        if (sink) lines.push(deadLetterLine(r, where!));
        if (max && 'count' in max && count > max.count) throw spent(max.count);
      }
      if (max && 'share' in max && totalRecords !== undefined && count > max.share * totalRecords) throw spent(max.share * totalRecords, totalRecords);
      if (sink && lines.length > 0) await atDeadLetter(shown!, async () => sink.write(lines));
    },
    check(recordsRead) {
      if (max && 'share' in max && count > max.share * recordsRead) throw spent(max.share * recordsRead, recordsRead);
    },
    commit: async () => {
      if (sink) await atDeadLetter(shown!, () => sink.commit());
    },
    abort: async () => {
      await sink?.abort();
    },
  };
}

async function openDeadLetter(file: string, shown: string): Promise<OutputSink> {
  return encodingSink(createEncoder('ndjson'), await openAtomic(file, shown));
}

/** One line of the dead-letter file: where the record came from, why it was rejected, and the record (or its text). */
function deadLetterLine(r: Rejection, where: RecordLocation & { chunk?: number }): unknown {
  return {
    source: where,
    step: r.step,
    code: r.code,
    message: r.message,
    ...('record' in r ? { record: r.record } : {}),
    ...(r.raw !== undefined ? { raw: r.raw } : {}),
  };
}

function budgetError(count: number, limit: number, max: NonNullable<OnError['max']>, first: First, read?: number): FlowError {
  const allowed = 'count' in max ? `${max.count}` : `${formatShare(max.share)} of ${records(read!)} read = ${Number(limit.toPrecision(12))}`;
  const { where, rejection } = first;
  const at =
    where.file !== undefined
      ? `${where.file}${where.line !== undefined ? `:${where.line}` : where.row !== undefined ? ` row ${where.row}` : ''}`
      : `record ${where.index} of chunk ${where.chunk}`;
  return new FlowError({
    code: 'ERROR_BUDGET',
    message: `${records(count)} rejected, more than on-error.max allows (${allowed}); the first: ${at} (${rejection.step}): ${rejection.message}`,
    record: where,
    hint: 'nothing was written; fix the input or the step, or raise on-error.max (with action: dead-letter, the rejected records go to a file)',
  });
}

function records(n: number): string {
  return `${n} record${n === 1 ? '' : 's'}`;
}

function formatShare(share: number): string {
  return `${Number((share * 100).toPrecision(12))}%`;
}

/** The dead-letter file's errors name its option, not the output's. */
async function atDeadLetter<T>(shown: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isFlowError(error)) throw error;
    const { step: _step, ...init } = error.toJSON();
    throw new FlowError({ ...init, path: 'on-error.dead-letter', message: init.message.replace(/^cannot write /, `cannot write the dead-letter file `) });
  }
}
