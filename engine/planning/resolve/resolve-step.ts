// One step: find its module, import it, check it is a step of the right kind, validate `with:`
// against its own `options` schema, run its `check`. Built-ins and plugins take exactly this road.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinModule, builtinNames } from '../../../steps/registry.js';
import { FlowError } from '../../contract/errors.js';
import type { ErrorCode } from '../../contract/errors.js';
import type { ResolvedStep, StepSpec } from '../../contract/plan.js';
import { resolvePackageStep, undeclaredIn } from './resolve-package.js';
import { realPathProblem, writtenPathProblem } from './plugin-path.js';
import { optionValidator, schemaErrors } from '../validate/schema-errors.js';
import { importStep } from '../../execution/import-step.js';
import type { OptionIssue, Step, StepKind } from '../../contract/step.js';
import { didYouMean } from '../../contract/suggest.js';
import { unknownStep } from '../validate/validate.js';
import { flowRangeProblem } from './version-range.js';
import { formatPath, locate, locateInString, parsePath } from '../yaml-locate.js';
import { insertLiterals } from '../expressions.js';
import { holdsUnknown, offlineIssues, offlineKnown } from '../validate/offline.js';
import type { PipelineSource, Segment } from '../yaml-locate.js';

export interface StepContextInfo {
  /** Absolute folder of the pipeline file. */
  dir: string;
  /** Absolute pipeline file (a stand-in inside `dir` when there is none). */
  file: string;
  src?: PipelineSource;
  /** Absolute folders trusted by --allow-plugin-path, besides the pipeline's project. */
  allowPluginPaths?: readonly string[];
  /** The params in effect, for the steps' `check` (ctx.params). */
  params?: Readonly<Record<string, unknown>>;
  /** `flow validate --offline`: a value that depends on an unset env variable is unknown, and inputs need not exist. */
  offline?: boolean;
}

export interface StepResult {
  resolved?: ResolvedStep;
  step?: Step;
  errors: FlowError[];
}

const moduleExtensions = ['.ts', '.mts', '.js', '.mjs'];

const required: Record<StepKind, string[]> = {
  source: ['split', 'read'],
  map: [],
  reduce: ['init', 'add', 'merge', 'finish'],
  output: ['open'],
};

export async function resolveStep(kind: StepKind, spec: StepSpec, at: Segment[], ctx: StepContextInfo): Promise<StepResult> {
  const nameAt = ctx.src && typeof ctx.src.doc.getIn(at, false) === 'string' ? at : [...at, 'step'];
  const location = locate(ctx.src, nameAt, 'value');
  const fail = (code: ErrorCode, message: string, hint?: string): StepResult => ({
    errors: [new FlowError({ code, message, path: formatPath(nameAt), ...(location ? { location } : {}), ...(hint ? { hint } : {}) })],
  });

  const found = findModule(kind, spec.step, ctx);
  if ('error' in found) {
    if (found.error === 'unknown') return { errors: [unknownStep(kind, spec.step, nameAt, ctx.src)] };
    return fail(found.error === 'outside' ? 'PLUGIN_OUTSIDE_PROJECT' : 'PLUGIN_NOT_FOUND', found.message, found.hint);
  }
  let step: Step;
  try {
    step = await importStep(found.module, found.exportName);
  } catch (err) {
    return fail(
      'PLUGIN_INVALID',
      `importing "${spec.step}" failed: ${(err as Error)?.message ?? String(err)}`,
      'fix the error in the module; it runs when the pipeline is validated',
    );
  }
  if (found.exportName && step === undefined) {
    return fail(
      'PLUGIN_NOT_FOUND',
      `the package of "${spec.step}" has no subpath export "./${found.exportName}" and its main module no export named "${found.exportName}"`,
      "see the package's exports in its package.json",
    );
  }
  const invalid = shapeProblem(kind, step);
  if (invalid) {
    const kindOf = (step as { kind?: unknown } | undefined)?.kind;
    const elsewhere = typeof kindOf === 'string' && kindOf !== kind && ['source', 'map', 'reduce', 'output'].includes(kindOf);
    return fail(
      'PLUGIN_INVALID',
      `"${spec.step}" ${invalid}`,
      elsewhere ? `use it under ${kindOf}:` : 'export default defineStep({ kind, name, summary, options, ... }) from the module',
    );
  }

  const unsupported = flowRangeProblem(spec.step, (step as { flow?: unknown }).flow);
  if (unsupported) return fail('PLUGIN_INVALID', unsupported.message, unsupported.hint);

  const withAt = [...at, 'with'];
  // A placeholder in an option that is an expression goes in as a literal of its value.
  const options = insertLiterals(step.options, structuredClone(spec.with ?? {}), withAt, ctx.src) as Record<string, unknown>;
  let validate;
  try {
    validate = optionValidator(step.options);
  } catch (err) {
    return fail(
      'PLUGIN_INVALID',
      `"${spec.step}" has an options schema that is not valid JSON Schema: ${(err as Error).message}`,
      "the step's `options` must be a draft-07 JSON Schema; fix it in the plugin",
    );
  }
  const resolved: ResolvedStep = {
    kind,
    name: spec.step,
    module: found.module,
    ...(found.exportName ? { exportName: found.exportName } : {}),
    options,
    path: formatPath(at),
    ...(location ? { location } : {}),
  };
  if (!validate(options)) {
    const known = ctx.offline ? offlineKnown(validate.errors) : validate.errors;
    if (!ctx.offline || known!.length > 0) return { errors: schemaErrors(known, spec.with ?? {}, withAt, ctx.src) };
  }
  let issues: unknown;
  try {
    issues = step.check?.(options, { pipelineDir: ctx.dir, pipelineFile: ctx.file, ...(ctx.params ? { params: ctx.params } : {}) }) ?? [];
  } catch (err) {
    // Offline, a check may trip over a value not known yet (a number that is still a placeholder).
    if (ctx.offline && holdsUnknown(options)) issues = [];
    else return fail('PLUGIN_INVALID', `"${spec.step}" check() threw: ${(err as Error)?.message ?? String(err)}`);
  }
  if (!Array.isArray(issues)) return fail('PLUGIN_INVALID', `"${spec.step}" check() must return an array of issues`);
  // Offline, the data need not exist yet, and a value waiting for an env variable may turn out right.
  if (ctx.offline) issues = offlineIssues(issues as OptionIssue[], options, (p) => valueAt(options, parsePath(p)));
  const errors = (issues as OptionIssue[]).map((issue) => {
    const segments = [...withAt, ...parsePath(issue.path)];
    const where = issue.offset !== undefined ? locateInString(ctx.src, segments, issue.offset, issue.length ?? 1) : locate(ctx.src, segments, 'value');
    return new FlowError({
      code: issue.code ?? 'INVALID_VALUE',
      message: issue.message,
      path: formatPath(segments),
      ...(where ? { location: where } : {}),
      ...(issue.hint ? { hint: issue.hint } : {}),
    });
  });
  return errors.length > 0 ? { errors } : { resolved, step, errors };
}

type Found = { module: string; exportName?: string } | { error: 'unknown' } | { error: 'not-found' | 'outside'; message: string; hint?: string };

function findModule(kind: StepKind, name: string, ctx: StepContextInfo): Found {
  const builtin = builtinModule(kind, name);
  if (builtin) return { module: builtin };
  if (name.startsWith('./') || name.startsWith('../') || path.isAbsolute(name)) return findLocal(name, ctx);
  const pkg = resolvePackageStep(name, ctx.file);
  const manifest = pkg ? undeclaredIn(name, ctx.file) : undefined;
  if (pkg && manifest) {
    const pkgName = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;
    return {
      error: 'not-found',
      message: `"${pkgName}" is installed but is not a dependency of ${path.relative(process.cwd(), manifest) || manifest}`,
      hint: `npm steps come from the pipeline project's own dependencies: npm install ${pkgName}`,
    };
  }
  if (pkg) return { module: pathToFileURL(pkg.file).href, ...(pkg.exportName ? { exportName: pkg.exportName } : {}) };
  // A near-miss of a built-in name is a typo, not a package to install.
  if (didYouMean(name, builtinNames(kind))) return { error: 'unknown' };
  return {
    error: 'not-found',
    message: `no built-in ${kind} step and no npm package named "${name}"`,
    hint: `install it next to the pipeline (npm install ${name}), or use a built-in ${kind} step: ${builtinNames(kind).join(', ')}`,
  };
}

function findLocal(name: string, ctx: StepContextInfo): Found {
  const rules = { dir: ctx.dir, ...(ctx.allowPluginPaths ? { allow: ctx.allowPluginPaths } : {}) };
  const escape = writtenPathProblem(name, rules);
  if (escape) return { error: 'outside', ...escape };
  const absolute = path.resolve(ctx.dir, name);
  const candidates = moduleExtensions.includes(path.extname(absolute)) ? [absolute] : moduleExtensions.map((ext) => absolute + ext);
  for (const file of candidates) {
    if (!isFile(file)) continue;
    const link = realPathProblem(name, file, rules);
    return link ? { error: 'outside', ...link } : { module: pathToFileURL(file).href };
  }
  const near = didYouMean(path.basename(absolute), listDir(path.dirname(absolute)));
  const hint = near
    ? `did you mean \`${path.posix.dirname(name)}/${near}\`?`
    : isFile(absolute)
      ? `a step module must end in ${moduleExtensions.join(' ')}`
      : `looked for ${candidates.join(', ')}`;
  return { error: 'not-found', message: `no step module "${name}" next to the pipeline`, hint };
}

function shapeProblem(kind: StepKind, step: unknown): string | undefined {
  if (step === null || typeof step !== 'object') return `has no default export that is a step (got ${step === undefined ? 'nothing' : typeof step})`;
  const s = step as Record<string, unknown>;
  if (s.kind !== kind) return typeof s.kind === 'string' ? `is a ${s.kind} step, not a ${kind} step` : 'exports an object without a `kind`';
  if (typeof s.name !== 'string' || s.name === '') return 'has no `name`';
  if (s.options === null || typeof s.options !== 'object' || Array.isArray(s.options)) return 'has no `options` JSON Schema object';
  const missing = required[kind].filter((fn) => typeof s[fn] !== 'function');
  if (missing.length > 0) return `lacks ${missing.map((m) => `${m}()`).join(', ')}`;
  if (kind === 'map' && (typeof s.map === 'function') === (typeof s.flatMap === 'function')) return 'must have exactly one of map() and flatMap()';
  const fastProblem = speedUpProblem(kind, s);
  if (fastProblem) return fastProblem;
  if (s.check !== undefined && typeof s.check !== 'function') return 'has a `check` that is not a function';
  return undefined;
}

/** The optional speed-ups (`fast`) must have the shape the engine adapts: checked once, here. */
function speedUpProblem(kind: StepKind, s: Record<string, unknown>): string | undefined {
  if (s.fast === undefined) return undefined;
  if (s.fast === null || typeof s.fast !== 'object') return 'has a `fast` that is not an object of speed-ups';
  const fast = s.fast as Record<string, unknown>;
  const fn = (value: unknown) => value === undefined || typeof value === 'function';
  if (kind === 'source' && !(fn(fast.each) && fn(fast.numbers) && fn(fast.columns)))
    return 'has a `fast.each`, `fast.numbers` or `fast.columns` that is not a function';
  if (kind === 'reduce' && !(fn(fast.numbers) && fn(fast.columns))) return 'has a `fast.numbers` or `fast.columns` that is not a function';
  if (kind === 'map' && fast.numbers !== undefined) {
    const numbers = fast.numbers as Record<string, unknown> | null;
    if (typeof numbers !== 'object' || numbers === null || typeof numbers.map !== 'function' || typeof numbers.always !== 'function') {
      return 'has a `fast.numbers` without map() and always()';
    }
    if (typeof s.map !== 'function') return 'has fast.numbers without map(): it is the bulk form of map';
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function valueAt(value: unknown, segments: Segment[]): unknown {
  let cursor = value;
  for (const seg of segments) cursor = cursor !== null && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[seg] : undefined;
  return cursor;
}
