// Stage 5: a PipelineSpec -> a Plan: every step's module found, imported, checked; workers and
// chunking made concrete.
import os from 'node:os';
import path from 'node:path';
import { FlowError, throwIfAny } from '../../contract/errors.js';
import { parseSize } from '../schema/schema.js';
import type { Plan, PipelineSpec, ResolvedStep, StepSpec } from '../../contract/plan.js';
import { resolveStep } from './resolve-step.js';
import type { StepResult } from './resolve-step.js';
import type { ChunkingOptions, MapStep, ReduceStep, StepKind } from '../../contract/step.js';
import { sortErrors } from '../validate/validate.js';
import type { PipelineSource, Segment } from '../yaml-locate.js';

export interface ResolveOptions {
  /** The pipeline file (relative paths and packages resolve from its folder). */
  file?: string;
  /** The folder to resolve from when there is no file (default: the current directory). */
  dir?: string;
  /** `--workers N`: wins over the pipeline's `workers`. */
  workers?: number;
  /** Where each `spec.map` entry is in the file, when some were dropped by validation. */
  mapIndices?: number[];
  /** The parsed file, for locating errors. */
  src?: PipelineSource;
  /** --allow-plugin-path: folders outside the project where local plugins may live. */
  allowPluginPaths?: string[];
}

export { parseSize } from '../schema/schema.js';

/** Resolves what it can and returns every error, so a file's problems are reported together. */
export async function resolveSpec(spec: Partial<PipelineSpec>, opts: ResolveOptions = {}): Promise<{ plan?: Plan; errors: FlowError[] }> {
  const file = opts.file ? path.resolve(opts.file) : undefined;
  const dir = file ? path.dirname(file) : path.resolve(opts.dir ?? '.');
  const allowPluginPaths = (opts.allowPluginPaths ?? []).map((p) => path.resolve(p));
  const ctx = { dir, file: file ?? path.join(dir, 'pipeline.yaml'), allowPluginPaths, ...(opts.src ? { src: opts.src } : {}) };
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

  const resolvedMap = map.map((r) => r.resolved!);
  
  const fields = reduce?.step ? readFields([...map, reduce]) : undefined;
  const plan: Plan = {
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    ...(file ? { pipelineFile: file } : {}),
    pipelineDir: dir,
    source: source.resolved,
    map: resolvedMap,
    ...(reduce?.resolved ? { reduce: reduce.resolved } : {}),
    output: out.resolved,
    workers: opts.workers ?? (typeof spec.workers === 'number' ? spec.workers : os.availableParallelism()),
    chunking: chunking(spec.chunking),
    ...(fields ? { fields } : {}),
  };
  return { plan, errors: [] };
}

export async function resolvePipeline(spec: PipelineSpec, opts: ResolveOptions = {}): Promise<Plan> {
  const { plan, errors } = await resolveSpec(spec, opts);
  throwIfAny(sortErrors(errors));
  return plan!;
}

function chunking(spec: PipelineSpec['chunking']): ChunkingOptions {
  const out: ChunkingOptions = {};
  if (spec?.records !== undefined) out.records = spec.records;
  if (spec?.bytes !== undefined) out.bytes = parseSize(spec.bytes as number | string);
  return out;
}

/**
 * The top-level fields the map and reduce steps read, when every one of them can tell. Only with a
 * reducer: without one the output writes whole records, so every field is needed.
 */
function readFields(results: StepResult[]): string[] | undefined {
  const union = new Set<string>();
  for (const r of results) {
    const step = r.step as MapStep | ReduceStep;
    const fields = step.fields?.(r.resolved!.options);
    if (!fields) return undefined;
    for (const f of fields) union.add(f);
  }
  return [...union];
}
