// load -> parse -> interpolate -> validate -> resolve: what `flow run` and `flow validate` call.
import path from 'node:path';
import { throwIfAny } from '../contract/errors.js';
import { interpolatePipeline } from './interpolate.js';
import { loadPipeline } from './load.js';
import { objectSource, type PipelineObject } from './load-object.js';
import { parsePipeline, MAX_ALIAS_COUNT } from './parse.js';
import type { PipelineSpec, Plan } from '../contract/plan.js';
import { resolveSpec } from './resolve/resolve.js';
import { checkPipeline, sortErrors, structureSchemas } from './validate/validate.js';
import { insertLiterals } from './expressions.js';
import type { PrepareOptions } from './options.js';

export type { PrepareOptions } from './options.js';

/**
 * Reads, checks and resolves a pipeline file. Throws a FlowError, or FlowErrors holding every
 * problem found: syntax errors together, placeholder errors together, then schema and step errors
 * together (a step whose slot is sound is resolved even when another part of the file is wrong).
 */
export async function preparePipeline(input: string | PipelineObject, opts: PrepareOptions = {}): Promise<{ plan: Plan; spec: PipelineSpec }> {
  const observer = opts.observer ?? {};
  observer.stageStart?.('validate');
  const cwd = path.resolve(opts.cwd ?? '.');
  const loaded = typeof input === 'string' ? await loadPipeline(opts.cwd ? path.resolve(cwd, input) : input).catch(failed) : undefined;
  // A pipeline object has no file: it resolves from `cwd`, and its errors carry no location.
  const absolute = loaded?.file ?? path.join(cwd, '<pipeline object>');
  let src: ReturnType<typeof parsePipeline>;
  let params: ReturnType<typeof interpolatePipeline>;
  let value: unknown;
  try {
    src = loaded ? parsePipeline(loaded.text, loaded.file) : objectSource(input as PipelineObject, absolute);
    params = interpolatePipeline(src, { set: opts.set, env: opts.env ?? process.env, offline: opts.offline === true });
    value = src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    // Expressions outside steps (the schema marks them) take placeholders as literals too; steps' in resolve.
    if (src.edits.size > 0) value = insertLiterals(structureSchemas().relaxed, value, [], src);
  } catch (error) {
    return failed(error);
  }
  const checked = checkPipeline(value, src, { offline: opts.offline === true, params });
  observer.stageEnd?.('validate', checked.errors.length === 0);
  observer.stageStart?.('resolve');
  const place = { ...(loaded ? { file: absolute } : { dir: cwd }), src, mapIndices: checked.mapIndices };
  // `flow test` feeds its input through a source of its own.
  const toResolve = opts.source ? { ...checked.spec, source: opts.source } : checked.spec;
  const resolved = await resolveSpec(toResolve, { ...opts, ...place, params });
  observer.stageEnd?.('resolve', resolved.errors.length === 0);
  throwIfAny(sortErrors([...checked.errors, ...resolved.errors]));
  const spec = checked.spec as PipelineSpec;
  // The params in effect (defaults with --set applied), for reports.
  if (Object.keys(params).length > 0) spec.params = params;
  return { plan: resolved.plan!, spec };

  function failed(error: unknown): never {
    observer.stageEnd?.('validate', false);
    throw error;
  }
}
