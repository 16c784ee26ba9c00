// runPipeline(): the stages in order, nothing else.
import { performance } from 'node:perf_hooks';
import { FlowError, isFlowError } from '../contract/errors.js';
import { importStep } from '../execution/import-step.js';
import { preparePipeline } from '../planning/prepare.js';
import { createInlinePool, runsInBulk, runsInline } from '../execution/inline.js';
import { dispatch } from '../execution/dispatch.js';
import { chunkFailure, workerDied } from '../execution/failure.js';
import { createMerger } from './merge.js';
import { memorySink, openOutput, writeResult } from './output.js';
import type { PipelineObject } from '../planning/load-object.js';
import type { Plan } from '../contract/plan.js';
import type { MapStep, OutputStep, ReduceStep, SourceStep, StepContext } from '../contract/step.js';
import type { RunObserver, StageName } from '../contract/observer.js';

export interface RunOptions {
  /** `--set k=v` overrides of params, typed like YAML scalars. */
  set?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** Overrides the pipeline's `workers`. */
  workers?: number;
  /** Folders outside the pipeline's project where local plugins may live (--allow-plugin-path). */
  allowPluginPaths?: string[];
  observer?: Partial<RunObserver>;
  signal?: AbortSignal;
  /** Where a relative pipeline path and a pipeline object's relative paths resolve (default: the cwd). */
  cwd?: string;
  /**
   * false: run no output step; the result comes back only (a map-only pipeline's records as an
   * array, in source order). Default: true for a file; for an object, whether it has `output:`.
   */
  output?: boolean;
}

export interface RunSummary {
  name?: string;
  /** Worker threads used; 0 when a tiny job of built-in steps ran in-process. */
  workers: number;
  chunks: number;
  recordsIn: number;
  recordsOut: number;
  bytes: number;
  elapsedMs: number;
  /** Peak resident memory of the whole process (worker threads included), in MiB. */
  peakRssMiB: number;
}

export interface RunResult {
  /** The reduce step's result; for a map-only pipeline, its records with `output: false`, else undefined. */
  result?: unknown;
  summary: RunSummary;
}

/** Runs a pipeline file, or a pipeline object in the same format. */
export async function runPipeline(pipeline: string | PipelineObject, options: RunOptions = {}): Promise<RunResult> {
  const observer = options.observer ?? {};
  const output = options.output ?? (typeof pipeline === 'string' || Object.hasOwn(pipeline, 'output'));
  const { plan } = await preparePipeline(pipeline, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.set ? { set: options.set } : {}),
    env: options.env ?? process.env,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.allowPluginPaths ? { allowPluginPaths: options.allowPluginPaths } : {}),
    observer,
  });
  return executePlan(plan, { ...options, output });
}

/** Runs a validated, resolved plan. */
export async function executePlan(plan: Plan, options: RunOptions = {}): Promise<RunResult> {
  const observer = options.observer ?? {};
  const started = performance.now();
  const ctx: StepContext = { pipelineDir: plan.pipelineDir, ...(plan.pipelineFile ? { pipelineFile: plan.pipelineFile } : {}) };
  // Already imported and checked by resolve: these come from the module cache.
  const source = (await importStep(plan.source.module, plan.source.exportName)) as SourceStep;
  const reducer = plan.reduce ? ((await importStep(plan.reduce.module, plan.reduce.exportName)) as ReduceStep) : undefined;
  const output = (await importStep(plan.output.module, plan.output.exportName)) as OutputStep;

  const sourcePlan = await withStepLocation(plan.source, () =>
    source.split(plan.source.options, { ...ctx, chunking: plan.chunking, workers: plan.workers, reduced: plan.reduce !== undefined, ...(plan.fields ? { fields: plan.fields } : {}) }),
  );
  // No more threads than chunks: a tiny job should not pay for idle workers.
  const totalChunks = sourcePlan.total?.chunks;
  const threads = Math.max(1, Math.min(plan.workers, totalChunks ?? plan.workers));
  const collected = options.output === false ? [] : undefined;
  const sink = collected ? memorySink(collected) : await withStepLocation(plan.output, () => openOutput(output, plan.output, ctx, !reducer));
  const merger = reducer && plan.reduce ? createMerger(reducer, plan.reduce, ctx) : undefined;
  const workerPlan = { context: ctx, source: plan.source, map: plan.map, ...(plan.reduce ? { reduce: plan.reduce } : {}) };
  const maps = await Promise.all(plan.map.map(async (m) => ({ step: (await importStep(m.module, m.exportName)) as MapStep, options: m.options })));
  const inline = runsInline(plan, sourcePlan.total, runsInBulk(sourcePlan, maps, reducer));
  // piscina is loaded only when threads are needed.
  const pool = inline ? createInlinePool(workerPlan) : (await import('../execution/pool/pool.js')).createPool(workerPlan, threads);
  const summary: RunSummary = { ...(plan.name ? { name: plan.name } : {}), workers: inline ? 0 : threads, chunks: 0, recordsIn: 0, recordsOut: 0, bytes: 0, elapsedMs: 0, peakRssMiB: 0 };
  let result: unknown;
  try {
    await stage(observer, 'run', () =>
      dispatch({
        pool,
        chunks: sourcePlan.chunks,
        ...(options.signal ? { signal: options.signal } : {}),
        workerDied: (cause, chunk) => workerDied(cause, chunk, { step: source, resolved: plan.source }),
        consume: async (chunkResult, chunk) => {
          if (chunkResult.type === 'error') throw await chunkFailure(chunkResult, chunk, { step: source, resolved: plan.source });
          summary.chunks++;
          summary.recordsIn += chunkResult.recordsIn;
          summary.recordsOut += chunkResult.recordsOut;
          summary.bytes += chunk.bytes ?? 0;
          if (chunkResult.type === 'partial') merger!.merge(chunkResult.acc);
          else await sink.write(chunkResult.type === 'numbers' ? Array.from(chunkResult.values) : chunkResult.records);
          if (sink.closed) throw readerGone;
          observer.progress?.({
            chunksDone: summary.chunks,
            ...(totalChunks !== undefined ? { chunksTotal: totalChunks } : {}),
            records: summary.recordsIn,
            bytes: summary.bytes,
            elapsedMs: performance.now() - started,
          });
        },
      }),
    );
    if (merger) {
      result = await stage(observer, 'reduce', () => merger.finish());
      await stage(observer, 'write', () => writeResult(sink, result, plan.output));
    }
    await withStepLocation(plan.output, () => sink.commit());
  } catch (error) {
    // `flow run ... | head -1`: the reader has what it wanted; stopping early is success.
    if (error === readerGone) {
      await sink.commit();
    } else {
      await sink.abort();
      throw error;
    }
  } finally {
    await pool.destroy();
  }
  summary.elapsedMs = performance.now() - started;
  summary.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return { ...(merger ? { result } : collected ? { result: collected } : {}), summary };
}

const readerGone = Symbol('the output reader is gone');

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
      const place = init.location || init.step ? {} : { step: `${step.path} (${step.name})`, ...(step.location ? { location: step.location } : {}) };
      // Rebuilt as this copy's FlowError (a plugin may have thrown another copy's).
      throw new FlowError({ ...init, ...place });
    }
    throw error;
  }
}
