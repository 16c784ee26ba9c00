// Stage 5: a PipelineSpec -> a Plan: every step's module found, imported, checked; workers and
// chunking made concrete.
import os from 'node:os';
import path from 'node:path';
import { FlowError, throwIfAny } from '../../contract/errors.js';
import { decideExecution, readFields } from './execution.js';
import { withCheckExecution, withCheckFields } from '../checks/plan.js';
import { checkFields } from '../fields/check.js';
import type { FlowOptions } from '../options.js';
import type { Plan, PipelineSpec, StepSpec } from '../../contract/plan.js';
import { resolveStep } from './resolve-step.js';
import type { StepResult } from './resolve-step.js';
import type { StepKind } from '../../contract/step.js';
import { sortErrors } from '../validate/validate.js';
import type { PipelineSource, Segment } from '../yaml-locate.js';

/** Where the pipeline came from, for resolving its relative paths and locating its errors. */
export interface PipelinePlace {
  /** The pipeline file (relative paths and packages resolve from its folder). */
  file?: string;
  /** The folder to resolve from when there is no file (default: the current directory). */
  dir?: string;
  /** Where each `spec.map` entry is in the file, when some were dropped by validation. */
  mapIndices?: number[];
  /** The parsed file, for locating errors. */
  src?: PipelineSource;
}

export type ResolveOptions = PipelinePlace &
  Pick<FlowOptions, 'workers' | 'chunking' | 'allowPluginPaths' | 'env' | 'offline'> & {
    /** The params in effect, for the steps (ctx.params) and the plan. */
    params?: Readonly<Record<string, unknown>>;
  };

/** Resolves what it can and returns every error, so a file's problems are reported together. */
export async function resolveSpec(spec: Partial<PipelineSpec>, opts: ResolveOptions = {}): Promise<{ plan?: Plan; errors: FlowError[] }> {
  const file = opts.file ? path.resolve(opts.file) : undefined;
  const dir = file ? path.dirname(file) : path.resolve(opts.dir ?? '.');
  const allowPluginPaths = (opts.allowPluginPaths ?? []).map((p) => path.resolve(p));
  const ctx = {
    dir,
    file: file ?? path.join(dir, 'pipeline.yaml'),
    allowPluginPaths,
    ...(opts.src ? { src: opts.src } : {}),
    ...(opts.params ? { params: opts.params } : {}),
    ...(opts.offline ? { offline: true } : {}),
  };
  const one = (kind: StepKind, s: StepSpec, at: Segment[]) => resolveStep(kind, s, at, ctx);
  const output: StepSpec = spec.output ?? { step: 'stdout' };
  // Imports run concurrently; results keep their slots' order.
  const [source, map, reduce, out] = await Promise.all([
    spec.source ? one('source', spec.source, ['source']) : undefined,
    Promise.all((spec.map ?? []).map((s, i) => one('map', s, ['map', opts.mapIndices?.[i] ?? i]))),
    spec.reduce ? one('reduce', spec.reduce, ['reduce']) : undefined,
    one('output', output, ['output']),
  ]);
  const all = [source, ...map, reduce, out].filter((r): r is StepResult => r !== undefined);
  const errors = all.flatMap((r) => r.errors);
  if (errors.length > 0 || !source?.resolved || !out.resolved) return { errors };
  // Field names, once every step is known: misspelt ones are errors, or watched during the run.
  const named = checkFields(source, map, reduce, { pipelineDir: dir, ...(file ? { pipelineFile: file } : {}) }, opts.src, spec.checks);
  if (named.errors.length > 0) return { errors: named.errors };

  const env = opts.env ?? process.env;
  // A dead-letter file holds the records as read: whole, not only the fields the steps read.
  const deadLetter: ReturnType<typeof readFields> | undefined =
    spec.onError?.action === 'dead-letter' ? { reason: 'whole records: on-error writes rejected records whole to its dead-letter file' } : undefined;
  const fields = reduce?.step ? (deadLetter ?? withCheckFields(readFields([...map, reduce], env), spec.checks)) : undefined;
  const plan: Plan = {
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    ...(file ? { pipelineFile: file } : {}),
    pipelineDir: dir,
    ...(opts.params && Object.keys(opts.params).length > 0 ? { params: opts.params } : {}),
    source: source.resolved,
    map: map.map((r) => r.resolved!),
    ...(reduce?.resolved ? { reduce: reduce.resolved } : {}),
    output: out.resolved,
    workers: opts.workers ?? (typeof spec.workers === 'number' ? spec.workers : os.availableParallelism()),
    // Validation already turned sizes like 8MiB into bytes.
    chunking: { ...(opts.chunking ?? spec.chunking) },
    ...(fields?.fields ? { fields: fields.fields } : {}),
    ...(named.watch.length > 0 ? { watch: named.watch } : {}),
    execution: withCheckExecution(decideExecution(source, map, reduce, env, fields?.reason), spec.checks),
    onError: spec.onError
      ? { ...spec.onError, ...(spec.onError.deadLetter ? { deadLetter: path.resolve(dir, spec.onError.deadLetter) } : {}) }
      : { action: 'fail' },
    retries: spec.retries ?? { attempts: 3 },
    ...(spec.checks ? { checks: spec.checks } : {}),
  };
  return { plan, errors: [] };
}

export async function resolvePipeline(spec: PipelineSpec, opts: ResolveOptions = {}): Promise<Plan> {
  const { plan, errors } = await resolveSpec(spec, opts);
  throwIfAny(sortErrors(errors));
  return plan!;
}
