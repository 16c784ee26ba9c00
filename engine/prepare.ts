// load -> parse -> interpolate -> validate -> resolve: what `flow run` and `flow validate` call.
import { throwIfAny } from './errors.js';
import { interpolatePipeline } from './interpolate.js';
import { loadPipeline } from './load.js';
import { parsePipeline, MAX_ALIAS_COUNT } from './parse.js';
import type { PipelineSpec, Plan } from './plan.js';
import { resolveSpec } from './resolve.js';
import { checkPipeline, sortErrors } from './validate.js';

export interface PrepareOptions {
  /** `--set k=v` param overrides, typed like YAML scalars. */
  set?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** `--workers N`: wins over the pipeline's `workers`. */
  workers?: number;
}

/**
 * Reads, checks and resolves a pipeline file. Throws a FlowError, or FlowErrors holding every
 * problem found: syntax errors together, placeholder errors together, then schema and step errors
 * together (a step whose slot is sound is resolved even when another part of the file is wrong).
 */
export async function preparePipeline(file: string, opts: PrepareOptions = {}): Promise<{ plan: Plan; spec: PipelineSpec }> {
  const { file: absolute, text } = await loadPipeline(file);
  const src = parsePipeline(text, absolute);
  const params = interpolatePipeline(src, { ...(opts.set ? { set: opts.set } : {}), env: opts.env ?? process.env });
  const value: unknown = src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  const checked = checkPipeline(value, src);
  const resolved = await resolveSpec(checked.spec, { file: absolute, src, mapIndices: checked.mapIndices, ...(opts.workers !== undefined ? { workers: opts.workers } : {}) });
  throwIfAny(sortErrors([...checked.errors, ...resolved.errors]));
  const spec = checked.spec as PipelineSpec;
  // The params in effect (defaults with --set applied), for reports.
  if (Object.keys(params).length > 0) spec.params = params;
  return { plan: resolved.plan!, spec };
}
