// runPipeline(): the stages in order, nothing else.
import { performance } from 'node:perf_hooks';
import { FlowError, interrupted, isFlowError } from '../contract/errors.js';
import { fastPaths } from '../contract/fast-paths.js';
import type { RunObserver, StageName } from '../contract/observer.js';
import { stepLabel, type Plan } from '../contract/plan.js';
import type { OutputStep, ReduceStep, SourceStep, StepContext } from '../contract/step.js';
import { dispatch } from '../execution/dispatch.js';
import { chunkFailed, chunkFailure } from '../execution/failure.js';
import { importStep } from '../execution/import-step.js';
import { compileSteps } from '../execution/typescript.js';
import { createInlinePool } from '../execution/inline.js';
import type { WorkerPlan } from '../execution/messages.js';
import type { PipelineObject } from '../planning/load-object.js';
import { preparePipeline } from '../planning/prepare.js';
import { builtinsOnly, schedule } from '../planning/schedule.js';
import { createMerger } from './merge.js';
import { memorySink, openOutput, verdictPending, writeResult } from './output.js';
import { writeRecords } from '../../steps/kit/serialize/sink.js';
import { openRejects, type Rejects } from './rejects.js';
import { checksFailed, checkWarnings, startChecks } from './checks.js';
import { fieldWarnings, SeenFields, strictFailure } from './warnings.js';
import { stepCounts, stepTally, tallyChunk } from './step-counts.js';
import type { RunOptions, RunResult, RunSummary } from './types.js';

/** Runs a pipeline file, or a pipeline object in the same format. */
export async function runPipeline(pipeline: string | PipelineObject, options: RunOptions = {}): Promise<RunResult> {
  const output = options.output ?? (typeof pipeline === 'string' || Object.hasOwn(pipeline, 'output'));
  const { plan } = await preparePipeline(pipeline, options);
  return executePlan(plan, { ...options, output });
}

/** Runs a validated, resolved plan: split, map in chunks, reduce, write. */
export async function executePlan(plan: Plan, options: RunOptions = {}): Promise<RunResult> {
  const observer = options.observer ?? {};
  const started = performance.now();
  const ctx: StepContext = {
    pipelineDir: plan.pipelineDir,
    ...(plan.pipelineFile ? { pipelineFile: plan.pipelineFile } : {}),
    ...(plan.params ? { params: plan.params } : {}),
  };
  // Already imported and checked by resolve: these come from the module cache.
  const source = (await importStep(plan.source.module, plan.source.exportName)) as SourceStep;
  const reducer = plan.reduce ? ((await importStep(plan.reduce.module, plan.reduce.exportName)) as ReduceStep) : undefined;
  const output = (await importStep(plan.output.module, plan.output.exportName)) as OutputStep;

  // The source as failure messages locate records with it.
  const sourceInfo = { step: source, resolved: plan.source };
  // --queue: every chunk goes to the workers as the pipeline cuts it, never run here in slices.
  const env = options.queue ? { ...(options.env ?? process.env), [fastPaths.inProcess]: '1' } : options.env;
  const scheduled = await withStepLocation(plan.source, () => schedule(plan, source, ctx, env, options.queue !== undefined));
  const collected = options.output === false ? [] : undefined;
  const sink = collected
    ? memorySink(collected)
    : await withStepLocation(plan.output, () => openOutput(output, plan.output, ctx, !reducer, verdictPending(plan, options)));
  const merger = reducer && plan.reduce ? createMerger(reducer, plan.reduce, ctx) : undefined;
  const checks = startChecks(plan, sourceInfo, ctx.params);
  const workerPlan: WorkerPlan = {
    context: ctx,
    source: plan.source,
    map: plan.map,
    ...(plan.reduce ? { reduce: plan.reduce } : {}),
    form: plan.execution.form,
    emit: plan.execution.emit,
    onError: plan.onError.action,
    ...checks?.worker,
    // Numbers have no fields: records are watched, and columns (a field is seen where its column is).
    ...(plan.watch && plan.execution.form !== 'numbers' ? { watch: plan.watch.map((w) => w.field) } : {}),
  };
  // piscina is loaded only when threads are needed; BullMQ only with --queue.
  const queue = options.queue
    ? await (
        await import('../execution/queue/index.js')
      )
        .createQueuePool({
          ...options.queue,
          plan: workerPlan,
          inputs: scheduled.inputs,
          retries: plan.retries,
          env: options.env ?? process.env,
          notice: (line) => observer.notice?.(line),
        })
        .catch(async (error: unknown) => {
          // No Redis: nothing ran, and the output's temp file goes.
          await sink.abort();
          checks?.close();
          throw error;
        })
    : undefined;
  const inProcess = !queue && scheduled.where === 'in-process';
  const pool =
    queue ??
    (inProcess
      ? createInlinePool(workerPlan)
      : // Shared threads keep a module's state from run to run: a plugin's runs get threads of their own.
        ((builtinsOnly(plan) ? options.sharedThreads?.forPlan(workerPlan, scheduled.threads, env) : undefined) ??
        (await import('../execution/pool/pool.js')).createPool(await compileSteps(workerPlan), scheduled.threads, env)));
  const totalChunks = scheduled.total.chunks;
  const { form, emit, reasons } = plan.execution;
  const execution = {
    where: scheduled.where,
    form,
    emit,
    ...(plan.fields ? { fields: plan.fields } : {}),
    reasons: [...reasons, queue ? queue.reason : scheduled.reason],
  };
  const summary: RunSummary = {
    ...(plan.name ? { name: plan.name } : {}),
    workers: inProcess ? 'in-process' : queue ? queue.threads : scheduled.threads,
    chunks: 0,
    recordsIn: 0,
    recordsOut: 0,
    bytes: 0,
    elapsedMs: 0,
    peakRssMiB: 0,
    ...(scheduled.inputs ? { inputs: scheduled.inputs } : {}),
    ...(plan.onError.action !== 'fail' ? { rejected: 0 } : {}),
    execution,
  };
  let result: unknown;
  let rejects: Rejects | undefined;
  const seen = new SeenFields();
  const tally = stepTally(plan);
  try {
    if (plan.onError.action !== 'fail') rejects = await openRejects(plan, source, scheduled.total.records);
    await stage(observer, 'run', () =>
      dispatch({
        pool,
        chunks: scheduled.chunks,
        ...(options.signal ? { signal: options.signal } : {}),
        // On a queue the worker applies chunk-timeout itself: the coordinator's clock would count the wait in the queue.
        retries: queue ? { attempts: plan.retries.attempts } : plan.retries,
        chunkFailed: (chunk, failures) => chunkFailed(chunk, failures, sourceInfo, plan.map),
        onRetry: () => void (summary.retried = (summary.retried ?? 0) + 1),
        consume: async (chunkResult, chunk) => {
          if (chunkResult.type === 'error') throw await chunkFailure(chunkResult, chunk, sourceInfo);
          // Counted first: a run that fails on this chunk's rejects (the error budget) reports how far it got.
          tallyChunk(tally, chunkResult);
          summary.chunks++;
          summary.recordsIn += chunkResult.recordsIn;
          summary.recordsOut += chunkResult.recordsOut;
          summary.bytes += chunk.bytes ?? 0;
          if (chunkResult.rejected) {
            try {
              await rejects!.take(chunkResult.rejected, chunk);
            } finally {
              summary.rejected = rejects!.count;
            }
          }
          checks?.take(chunkResult.checks, chunk);
          seen.take(chunkResult.seen);
          if (chunkResult.type === 'partial') merger!.merge(chunkResult.acc);
          else await writeRecords(sink, chunkResult.type === 'numbers' ? Array.from(chunkResult.values) : chunkResult.records, options.signal);
          if (sink.closed) throw readerGone;
          observer.progress?.({
            chunksDone: summary.chunks,
            ...(totalChunks !== undefined ? { chunksTotal: totalChunks } : {}),
            records: summary.recordsIn,
            bytes: summary.bytes,
            ...(summary.rejected ? { rejected: summary.rejected } : {}),
            elapsedMs: performance.now() - started,
          });
        },
      }),
    );
    rejects?.check(summary.recordsIn);
    if (merger) result = await stage(observer, 'reduce', () => merger.finish());
    const warnings = workerPlan.watch ? await fieldWarnings(plan, source, ctx, seen, summary.recordsIn) : [];
    if (warnings.length > 0) summary.warnings = [...(summary.warnings ?? []), ...warnings];
    // The checks' verdict (after the field warnings, which may explain a failed check) comes before
    // anything is written: a failed error check leaves the old output.
    if (checks) {
      summary.checks = await checks.finish(summary.recordsOut, result);
      const warned = checkWarnings(summary.checks);
      if (warned.length > 0) summary.warnings = [...(summary.warnings ?? []), ...warned];
      const failed = checksFailed(summary.checks, plan);
      if (failed) throw failed;
    }
    // Decided before anything is written (stdout cannot take it back): with --strict a warning leaves the old output as it was.
    if (options.strict && summary.warnings?.length) throw strictFailure(summary.warnings);
    if (merger) await stage(observer, 'write', () => writeResult(sink, result, plan.output));
    // A signal during the reduce or the write still leaves the old output as it was.
    if (options.signal?.aborted) throw interrupted(options.signal.reason);
    // The dead-letter file first: if it cannot be written, the output is not written either.
    await rejects?.commit();
    await withStepLocation(plan.output, () => sink.commit());
  } catch (error) {
    // `flow run ... | head -1`: the reader has what it wanted; stopping early is success.
    if (error === readerGone) {
      await sink.commit();
      await rejects?.commit();
    } else {
      await sink.abort();
      await rejects?.abort();
      summary.elapsedMs = Math.round(performance.now() - started);
      summary.steps = stepCounts(plan, tally, summary.recordsIn, summary.recordsOut);
      if (typeof error === 'object' && error !== null) failedSummaries.set(error, summary);
      throw error;
    }
  } finally {
    if (queue) summary.queue = queue.summary();
    await pool.destroy();
    checks?.close();
  }
  summary.elapsedMs = Math.round(performance.now() - started);
  summary.steps = stepCounts(plan, tally, summary.recordsIn, summary.recordsOut);
  summary.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return { ...(merger ? { result } : collected ? { result: collected } : {}), summary };
}

const readerGone = Symbol('the output reader is gone');

/** Data checks and --strict decide after the last record whether anything may be shown. */
const failedSummaries = new WeakMap<object, RunSummary>();

/** The counts a failed run had reached (for reports and `flow test`), when the error came from executePlan. */
export function summaryOf(error: unknown): RunSummary | undefined {
  return typeof error === 'object' && error !== null ? failedSummaries.get(error) : undefined;
}

async function stage<T>(observer: Partial<RunObserver>, name: StageName, work: () => T | Promise<T>): Promise<T> {
  observer.stageStart?.(name);
  try {
    const value = await work();
    observer.stageEnd?.(name, true);
    return value;
  } catch (error) {
    observer.stageEnd?.(name, false);
    throw error;
  }
}

/** A FlowError thrown by a step on the main thread gets the step's place in the pipeline. */
async function withStepLocation<T>(step: Plan['source'], work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isFlowError(error)) {
      const init = error.toJSON();
      const place = init.location || init.step ? {} : { step: stepLabel(step), ...(step.location ? { location: step.location } : {}) };
      // Rebuilt as this copy's FlowError (a plugin may have thrown another copy's).
      throw new FlowError({ ...init, ...place });
    }
    throw error;
  }
}
