// Stage 4: the interpolated document against schemas/pipeline.schema.json, every error at once.
//
// Step slots are a oneOf in the schema (one branch per built-in step, one for plugins, one for the
// bare-string form). Validating that oneOf whole would bury one typo under an error per branch, so:
// 1. the top level is validated with the slot definitions relaxed to "anything";
// 2. each slot is checked against the schema's step envelope ({step, with}), and its name is
//    classified: a built-in of the slot's kind, a local module, an npm package, or unknown;
// 3. `with:` is validated in resolve against the step's own `options` schema, built-ins and plugins
//    alike (the committed schema embeds those schemas for editors, a ${{ }} placeholder allowed in
//    typed options; a drift test keeps it equal to what the steps say).
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { builtinNames } from '../../../steps/registry.js';
import { FlowError, throwIfAny } from '../../contract/errors.js';
import type { OnError, PipelineSpec, Retries, StepSpec } from '../../contract/plan.js';
import { defs, DURATION_PATTERN, parseDuration, parseShare, parseSize, pipelineSchema, SHARE_PATTERN, stepKinds } from '../schema/schema.js';
import { jsonType, schemaErrors } from './schema-errors.js';
import { compileSchema } from './validators.js';
import { offlineKnown } from './offline.js';
import { checkChecks } from '../checks/validate.js';
import type { JSONSchema, StepKind } from '../../contract/step.js';
import { didYouMean } from '../../contract/suggest.js';
import { formatPath, locate } from '../yaml-locate.js';
import type { PipelineSource, Segment } from '../yaml-locate.js';

interface Validators {
  top: ValidateFunction;
  envelope: ValidateFunction;
  pluginPattern: Record<StepKind, RegExp>;
}

let cached: { schema: JSONSchema; validators: Validators } | undefined;

/** The schemas the top level is checked against (also precompiled at build time). */
export function structureSchemas(schema: JSONSchema = pipelineSchema()): { relaxed: JSONSchema; envelope: JSONSchema } {
  const definitions = schema.definitions as Record<string, JSONSchema>;
  const relaxed: JSONSchema = { ...schema, definitions: { ...definitions } };
  for (const kind of stepKinds) (relaxed.definitions as Record<string, JSONSchema>)[defs.slot(kind)] = {};
  return { relaxed, envelope: definitions[defs.envelope]! };
}

function validators(): Validators {
  const schema = pipelineSchema();
  if (cached?.schema === schema) return cached.validators;
  const definitions = schema.definitions as Record<string, JSONSchema>;
  const { relaxed, envelope } = structureSchemas(schema);
  const pluginPattern = Object.fromEntries(
    stepKinds.map((kind) => {
      const step = (definitions[defs.plugin(kind)]!.properties as Record<string, JSONSchema>).step as JSONSchema;
      return [kind, new RegExp(String(step.pattern))];
    }),
  ) as Record<StepKind, RegExp>;
  const result: Validators = { top: compileSchema(relaxed), envelope: compileSchema(envelope), pluginPattern };
  cached = { schema, validators: result };
  return result;
}

export interface Checked {
  /** The spec, without the step slots that are unusable. */
  spec: Partial<PipelineSpec>;
  errors: FlowError[];
  /** Where each kept `spec.map` entry was in the file (unusable entries are dropped). */
  mapIndices: number[];
}

/** Validates without throwing: returns every error and what of the spec is sound. */
export function checkPipeline(value: unknown, src?: PipelineSource, opts: { offline?: boolean; params?: Readonly<Record<string, unknown>> } = {}): Checked {
  const v = validators();
  const errors: FlowError[] = [];
  if (value === null || value === undefined) {
    const location = locate(src, [], 'value');
    const empty = new FlowError({
      code: 'MISSING_KEY',
      message: 'the pipeline file is empty',
      path: 'source',
      ...(location ? { location } : {}),
      hint: 'a pipeline needs at least a source: step',
    });
    return { spec: {}, errors: [empty], mapIndices: [] };
  }
  // Offline, a value waiting for an unset env variable may still turn out right.
  if (!v.top(value)) errors.push(...schemaErrors(opts.offline ? offlineKnown(v.top.errors) : v.top.errors, value, [], src));
  const mapIndices: number[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { spec: {}, errors, mapIndices };
  const input = value as Record<string, unknown>;
  const spec: Partial<PipelineSpec> = {};
  for (const key of ['name', 'params', 'chunking', 'workers'] as const) {
    if (Object.hasOwn(input, key)) (spec as Record<string, unknown>)[key] = input[key];
  }
  const bytes = (input.chunking as { bytes?: unknown } | undefined)?.bytes;
  // "8MiB" becomes a number here, so the spec holds what its type says.
  if (typeof bytes === 'string' && spec.chunking) {
    const { bytes: _written, ...rest } = spec.chunking;
    const parsed = sizeOrUndefined(bytes);
    spec.chunking = parsed === undefined ? rest : { ...rest, bytes: parsed };
  }
  const faults = checkFaultOptions(input, src);
  errors.push(...faults.errors);
  if (faults.onError) spec.onError = faults.onError;
  if (faults.retries) spec.retries = faults.retries;
  const checks = checkChecks(input, src, opts.params);
  errors.push(...checks.errors);
  if (checks.checks) spec.checks = checks.checks;
  const slot = (kind: StepKind, at: Segment[], raw: unknown): StepSpec | undefined => {
    const found = checkStep(kind, at, raw, v, src);
    errors.push(...found.errors);
    return found.step;
  };
  if (Object.hasOwn(input, 'source')) {
    const s = slot('source', ['source'], input.source);
    if (s) spec.source = s;
  }
  if (Array.isArray(input.map)) {
    spec.map = [];
    input.map.forEach((raw, i) => {
      const s = slot('map', ['map', i], raw);
      if (!s) return;
      spec.map!.push(s);
      mapIndices.push(i);
    });
  }
  for (const kind of ['reduce', 'output'] as const) {
    if (!Object.hasOwn(input, kind)) continue;
    const s = slot(kind, [kind], input[kind]);
    if (s) spec[kind] = s;
  }
  return { spec, errors, mapIndices };
}

/** Validates and returns the spec, or throws every error of the file at once. */
export function validatePipeline(value: unknown, src?: PipelineSource): PipelineSpec {
  const { spec, errors } = checkPipeline(value, src);
  throwIfAny(sortErrors(errors));
  return spec as PipelineSpec;
}

function checkStep(kind: StepKind, at: Segment[], raw: unknown, v: Validators, src?: PipelineSource): { step?: StepSpec; errors: FlowError[] } {
  let step: StepSpec;
  if (typeof raw === 'string') step = { step: raw };
  else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    if (!v.envelope(raw)) return { errors: schemaErrors(v.envelope.errors, raw, at, src) };
    step = raw as StepSpec;
  } else {
    const location = locate(src, at, 'value');
    return {
      errors: [
        new FlowError({
          code: 'WRONG_TYPE',
          message: `expected a step (a step name, or a mapping with step: and with:), got ${jsonType(raw)}`,
          path: formatPath(at),
          ...(location ? { location } : {}),
          hint: `e.g. ${kind}: { step: ${builtinNames(kind)[0]} }`,
        }),
      ],
    };
  }
  const problem = classify(kind, step.step, v.pluginPattern[kind]);
  if (!problem) return { step, errors: [] };
  const nameAt = typeof raw === 'string' ? at : [...at, 'step'];
  return { errors: [unknownStep(kind, step.step, nameAt, src, problem.hint, problem.message)] };
}

/** Undefined when the name can be a step of this kind (a built-in, a local module, a package name). */
function classify(kind: StepKind, name: string, pluginPattern: RegExp): { message?: string; hint?: string } | undefined {
  // An absolute path is a local module too: resolve refuses it unless --allow-plugin-path trusts it.
  if (builtinNames(kind).includes(name) || name.startsWith('./') || name.startsWith('../') || path.isAbsolute(name)) return undefined;
  const other = stepKinds.find((k) => k !== kind && builtinNames(k).includes(name));
  if (other) {
    const near = didYouMean(name, builtinNames(kind));
    return {
      message: `"${name}" is a ${other} step, not a ${kind} step`,
      hint: near ? `did you mean \`${near}\`?` : `put it under ${other}:, or use a ${kind} step: ${builtinNames(kind).join(', ')}`,
    };
  }
  if (pluginPattern.test(name)) return undefined;
  return {};
}

/** UNKNOWN_STEP with the closest built-in name of the slot's kind. */
export function unknownStep(kind: StepKind, name: string, at: Segment[], src: PipelineSource | undefined, hint?: string, message?: string): FlowError {
  const near = didYouMean(name, builtinNames(kind));
  const location = locate(src, at, 'value');
  return new FlowError({
    code: 'UNKNOWN_STEP',
    message: message ?? `no ${kind} step named "${name}"`,
    path: formatPath(at),
    ...(location ? { location } : {}),
    hint: hint ?? (near ? `did you mean \`${near}\`?` : `built-in ${kind} steps: ${builtinNames(kind).join(', ')}`),
  });
}

/** `on-error:` and `retries:` as the spec holds them (shares and durations as numbers), when valid. */
function checkFaultOptions(input: Record<string, unknown>, src?: PipelineSource): { onError?: OnError; retries?: Retries; errors: FlowError[] } {
  const errors: FlowError[] = [];
  const out: { onError?: OnError; retries?: Retries } = {};
  const onError = input['on-error'];
  if (isPlainObject(onError)) {
    const action = onError.action ?? 'fail';
    const deadLetter = onError['dead-letter'];
    const max = onError.max;
    const valid = ['fail', 'skip', 'dead-letter'].includes(action as string) && (deadLetter === undefined || typeof deadLetter === 'string');
    if (action === 'dead-letter' && typeof deadLetter !== 'string') {
      const location = locate(src, ['on-error', 'action'], 'value');
      errors.push(
        new FlowError({
          code: 'MISSING_KEY',
          message: 'on-error.action dead-letter needs a file: on-error.dead-letter',
          path: 'on-error.dead-letter',
          ...(location ? { location } : {}),
          hint: 'e.g. dead-letter: out/rejects.ndjson',
        }),
      );
    } else if (typeof deadLetter === 'string' && action !== 'dead-letter') {
      const location = locate(src, ['on-error', 'dead-letter'], 'key');
      errors.push(
        new FlowError({
          code: 'INVALID_VALUE',
          message: `on-error.dead-letter is only written with action dead-letter (the action is ${String(action)})`,
          path: 'on-error.dead-letter',
          ...(location ? { location } : {}),
          hint: 'set action: dead-letter, or remove dead-letter',
        }),
      );
    } else if (valid) {
      const budget =
        typeof max === 'number' && Number.isInteger(max) && max >= 0
          ? { count: max }
          : typeof max === 'string' && new RegExp(SHARE_PATTERN).test(max)
            ? { share: parseShare(max) }
            : undefined;
      out.onError = { action: action as OnError['action'], ...(typeof deadLetter === 'string' ? { deadLetter } : {}), ...(budget ? { max: budget } : {}) };
    }
  }
  const retries = input.retries;
  if (isPlainObject(retries)) {
    const attempts = retries.attempts ?? 3;
    const timeout = retries['chunk-timeout'];
    const timeoutMs =
      typeof timeout === 'number' && timeout > 0
        ? parseDuration(timeout)
        : typeof timeout === 'string' && new RegExp(DURATION_PATTERN).test(timeout)
          ? parseDuration(timeout)
          : undefined;
    if (typeof attempts === 'number' && Number.isInteger(attempts) && attempts >= 1 && attempts <= 100 && (timeout === undefined || timeoutMs !== undefined)) {
      out.retries = { attempts, ...(timeoutMs !== undefined ? { chunkTimeoutMs: timeoutMs } : {}) };
    }
  }
  return { ...out, errors };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sizeOrUndefined(text: string): number | undefined {
  try {
    return parseSize(text);
  } catch {
    return undefined;
  }
}

/** File order: by line, then column; errors without a location last. */
export function sortErrors(errors: FlowError[]): FlowError[] {
  const key = (e: FlowError) => (e.location ? e.location.line * 1e6 + e.location.column : Infinity);
  return [...errors].sort((a, b) => key(a) - key(b));
}
