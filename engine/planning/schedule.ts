// The last planning stage: the source cut into chunk descriptors, and where they run (in this
// process or on worker threads), decided from the totals and recorded with the reason.
import { fastPathOn, fastPaths } from '../contract/fast-paths.js';
import { runSteps, type Plan } from '../contract/plan.js';
import type { ChunkingOptions, SourcePlan, SourceStep, StepContext } from '../contract/step.js';
import { builtinModule } from '../../steps/registry.js';

export interface Schedule {
  chunks: SourcePlan['chunks'];
  total: NonNullable<SourcePlan['total']>;
  /** The source's files, when it names them (for the report). */
  inputs?: SourcePlan['inputs'];
  where: 'in-process' | 'threads';
  /** Worker threads to start: no more than there are chunks. */
  threads: number;
  reason: string;
}

// A tiny job of built-in steps runs in-process: starting worker threads would cost more than they
// save. Plugins always run in worker threads, where a crash or a process.exit cannot take the run down.
const TINY_RECORDS = 100_000;
const TINY_BYTES = 1 << 20;
// In bulk a number costs 3.5 ns (random, mean) to 12 ns (range, transform r * r, sum) in-process
// here, and a pool about 0.1 s more (threads starting, each compiling its hot code). On w threads the
// work divides by w, so in-process is faster up to BULK_BREAK_EVEN * w / (w - 1) numbers at the
// dearer rate: 16M for 2 workers. Measured on 2 cores: 8M squares summed 125 ms in-process vs 190 ms
// on 2 threads, 16M 220 vs 251 ms; the mean of 10M random numbers 0.13 s vs 0.19 s.
const BULK_BREAK_EVEN = 8_000_000;

/** The most numbers a bulk job runs in-process with: with one worker a thread never pays off. */
export function bulkInlineLimit(workers: number): number {
  return workers <= 1 ? Infinity : (BULK_BREAK_EVEN * workers) / (workers - 1);
}

/**
 * `portable`: the chunks go to other machines (--queue), so they must be descriptors, never data.
 */
export async function schedule(plan: Plan, source: SourceStep, ctx: StepContext, env: NodeJS.ProcessEnv = process.env, portable = false): Promise<Schedule> {
  // on-error skip or dead-letter: the source hands over what it cannot read instead of throwing.
  const rejects = plan.onError.action !== 'fail';
  const hints = {
    reduced: plan.reduce !== undefined,
    ...(plan.fields ? { fields: plan.fields } : {}),
    ...(rejects ? { rejects } : {}),
    ...(portable ? { portable } : {}),
  };
  const split = await source.split(plan.source.options, { ...ctx, chunking: plan.chunking, workers: plan.workers, hints });
  const total = split.total ?? {};
  const threads = Math.max(1, Math.min(plan.workers, total.chunks ?? plan.workers));
  const inProcess = runsInProcess(plan, total);
  const where = inProcess && fastPathOn('inProcess', env) ? 'in-process' : 'threads';
  const reason =
    inProcess && where === 'threads' ? `threads: ${fastPaths.inProcess}=1` : inProcess ? `in-process: ${inProcess}` : `threads: ${threadReason(plan, total)}`;
  if (where === 'in-process') {
    // In this process a chunk runs synchronously, deaf to signals until it ends: the job is cut again
    // into slices that end within milliseconds, and dispatch polls for signals between them.
    const sliced = await source.split(plan.source.options, { ...ctx, chunking: inProcessSlices(plan), workers: plan.workers, hints });
    const chunks = sliced.total?.chunks;
    return {
      chunks: sliced.chunks,
      total: { ...total, ...(chunks !== undefined ? { chunks } : {}) },
      ...(split.inputs ? { inputs: split.inputs } : {}),
      where,
      threads,
      reason,
    };
  }
  return { chunks: split.chunks, total, ...(split.inputs ? { inputs: split.inputs } : {}), where, threads, reason };
}

// The slices of an in-process job: records one by one at most 256 (or 16 KiB of a file), numbers in
// bulk 64Ki. Measured here: a slice of 256 records through an expression costs well under a second
// even at a millisecond a record, and slicing adds about 10 us a slice (0.2 ms to the 1 MiB job).
const SLICE_RECORDS = { records: 1000, bytes: 64 * 1024 };
const SLICE_NUMBERS = { records: 65_536, bytes: 512 * 1024 };

/** The chunking of an in-process job: the pipeline's, but never larger than a slice. */
export function inProcessSlices(plan: Plan): ChunkingOptions {
  const most = plan.execution.form === 'numbers' && plan.execution.surelyNumbers ? SLICE_NUMBERS : SLICE_RECORDS;
  return { records: Math.min(plan.chunking.records ?? Infinity, most.records), bytes: Math.min(plan.chunking.bytes ?? Infinity, most.bytes) };
}

/** Why the job may run in-process, or undefined when it should not. */
function runsInProcess(plan: Plan, total: NonNullable<SourcePlan['total']>): string | undefined {
  if (total.chunks === 0) return 'no chunks';
  if (!builtinsOnly(plan) || heavyExpression(plan)) return undefined;
  const numbers = plan.execution.form === 'numbers' && plan.execution.surelyNumbers;
  if (numbers && (total.records ?? Infinity) <= bulkInlineLimit(plan.workers))
    return `${total.records} numbers in bulk, at most ${bulkInlineLimit(plan.workers)} for ${plan.workers} workers`;
  if (total.chunks !== 1) return undefined;
  if ((total.records ?? Infinity) <= TINY_RECORDS) return `one chunk of ${total.records} records`;
  if ((total.bytes ?? Infinity) <= TINY_BYTES) return `one chunk of ${total.bytes} bytes`;
  return undefined;
}

function threadReason(plan: Plan, total: NonNullable<SourcePlan['total']>): string {
  if (!builtinsOnly(plan)) return 'a plugin runs only on worker threads';
  if (heavyExpression(plan)) return `${heavyExpression(plan)} may build large strings or arrays`;
  return `${total.chunks ?? 'unknown'} chunks${total.records !== undefined ? `, ${total.records} records` : ''}${total.bytes !== undefined ? `, ${total.bytes} bytes` : ''}`;
}

/** Whether every step the workers run is built in (no plugin, whose module may keep state from run to run). */
export function builtinsOnly(plan: Plan): boolean {
  return runSteps(plan).every((step) => builtinModule(step.kind, step.name) === step.module);
}

// Calls that build strings or arrays (up to 16 Mi characters or 1 Mi elements each, kit/expr): one
// record may then cost milliseconds and a slice seconds, so such a job runs on threads, where a signal
// ends it at once. Anything else an expression does costs about the size of the record.
const HEAVY =
  /\b(?:repeat|padStart|padEnd|split|concat|join|flat|flatMap|replace|replaceAll|normalize|stringify|JSON\.parse|encodeURIComponent|keys|values|entries|from|fill|map|filter|reduce|sort|match|matchAll)\s*\(/;

/** The first map step whose options call such a builder (`map[1]`), if any. */
export function heavyExpression(plan: Plan): string | undefined {
  return plan.map.find((step) => HEAVY.test(JSON.stringify(step.options ?? null)))?.path;
}
