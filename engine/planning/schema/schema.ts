// The pipeline JSON Schema (draft-07), composed from the built-in steps' option schemas.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../contract/package.js';
import { builtinModule, builtinNames, builtinSteps } from '../../../steps/registry.js';
import { runSteps, type Plan } from '../../contract/plan.js';
import { minSizePattern } from './min-size.js';
import { checksSchema } from '../checks/schema.js';
import { acceptPlaceholders, placeholderDefinition, placeholderSchema } from './placeholders.js';
import { importModule, importStep, pickExport } from '../../execution/import-step.js';
import type { JSONSchema, Step, StepKind } from '../../contract/step.js';

export const stepKinds: readonly StepKind[] = ['source', 'map', 'reduce', 'output'];

/** Where the committed schema lives (shipped with the package). */
export const schemaFile = path.join(packageRoot, 'schemas', 'pipeline.schema.json');

/** A plugin step: `./x.ts`, `../y.mjs`, or an npm package name with an optional subpath. */
export const PLUGIN_PATTERN = '^(\\.{1,2}/.+|(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*(/.+)?)$';

/** A size in bytes, or with a unit: 8MiB, 512KiB, 1GB. */
export const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(B|[KMGT]i?B|[kKMGT])?\\s*$';

const units: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** The smallest `chunking.bytes`. */
export const MIN_CHUNK_BYTES = 1024;

/** A share of the records, "0.5%". */
export const SHARE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$';
/** A duration, "10m", "30s", "500ms", "1h". */
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)\\s*$';

/** "10m", "30s", "500ms", "1h", or a number of seconds -> milliseconds. */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return value * 1000;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value);
  if (!m) throw new Error(`not a duration: ${JSON.stringify(value)}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** "0.5%" -> 0.005. */
export function parseShare(value: string): number {
  return Number(/\d+(?:\.\d+)?/.exec(value)![0]) / 100;
}

/** 8388608, "8MiB", "512KiB", "1GB", "1.5MB" -> bytes (an integer). */
export function parseSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = m ? units[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`not a size: ${JSON.stringify(value)}`);
  return Math.round(Number(m[1]) * unit);
}

/** Definition names inside the schema. */
export const defs = {
  slot: (kind: StepKind) => `${kind}Step`,
  builtin: (kind: StepKind, name: string) => `${kind}-${name}`,
  plugin: (kind: StepKind) => `${kind}Plugin`,
  bare: (kind: StepKind) => `${kind}Name`,
  envelope: 'stepEnvelope',
} as const;

/** The built-in steps, imported from dist/ like any plugin. */
export async function loadBuiltinSteps(): Promise<Step[]> {
  const steps: Step[] = [];
  for (const kind of stepKinds) {
    for (const name of builtinNames(kind)) steps.push(pickExport(await importModule(builtinModule(kind, name)!)) as Step);
  }
  return steps;
}

function ref(name: string): JSONSchema {
  // A JSON pointer in a URI fragment: plugin names hold "/" (and maybe "@").
  return { $ref: `#/definitions/${encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'))}` };
}

function requiresOptions(step: Step): boolean {
  const required = step.options.required;
  return Array.isArray(required) && required.length > 0;
}

/** A plugin step used by one pipeline, by the name it is written with (`./steps/x.ts`, `flow-step-geo`). */
export interface PluginSchema {
  name: string;
  step: Step;
}

/**
 * The schema: one branch per built-in step of each kind, then (for `flow schema --for`) one per
 * plugin a pipeline uses, then the generic plugin branch, which excludes every name listed before it.
 */
export function composePipelineSchema(steps: readonly Step[], plugins: readonly PluginSchema[] = []): JSONSchema {
  const definitions: Record<string, JSONSchema> = {
    [placeholderDefinition]: placeholderSchema,
    [defs.envelope]: {
      type: 'object',
      description: 'A step: `step:` names it, `with:` holds its options.',
      properties: {
        step: { type: 'string', minLength: 1, description: 'A built-in step, a path starting with ./ or ../, or an npm package name.' },
        with: { type: 'object', description: "The step's options." },
      },
      required: ['step'],
      additionalProperties: false,
    },
  };
  for (const kind of stepKinds) {
    const ofKind = Object.keys(builtinSteps[kind]).map((name) => {
      const step = steps.find((s) => s.kind === kind && s.name === name);
      if (!step) throw new Error(`built-in ${kind} step "${name}" is missing`);
      return step;
    });
    const named = [...ofKind.map((step) => ({ name: step.name, step })), ...plugins.filter((p) => p.step.kind === kind)];
    const names = named.map((s) => s.name);
    const branches: JSONSchema[] = [ref(defs.bare(kind))];
    for (const { name: stepName, step } of named) {
      const name = defs.builtin(kind, stepName);
      definitions[name] = {
        type: 'object',
        title: `${kind} step ${stepName}`,
        description: step.summary,
        // Editors see placeholders unreplaced; the engine checks `with:` against step.options itself.
        properties: { step: { const: stepName, description: step.summary }, with: acceptPlaceholders(step.options) },
        required: requiresOptions(step) ? ['step', 'with'] : ['step'],
        additionalProperties: false,
      };
      branches.push(ref(name));
    }
    definitions[defs.plugin(kind)] = {
      type: 'object',
      title: `${kind} plugin step`,
      description: `A ${kind} step from a local module (./ or ../, .ts .mts .js .mjs) or an npm package.`,
      properties: {
        step: { type: 'string', pattern: PLUGIN_PATTERN, not: { enum: names }, description: 'A path starting with ./ or ../, or an npm package name.' },
        with: { type: 'object', description: "The plugin's options." },
      },
      required: ['step'],
      additionalProperties: false,
    };
    branches.push(ref(defs.plugin(kind)));
    const optionless = named.filter((s) => !requiresOptions(s.step)).map((s) => s.name);
    const plugin = { pattern: PLUGIN_PATTERN, not: { enum: names } };
    definitions[defs.bare(kind)] = {
      type: 'string',
      description: `A ${kind} step that needs no options, by name.`,
      ...(optionless.length > 0 ? { anyOf: [{ enum: optionless }, plugin] } : plugin),
    };
    definitions[defs.slot(kind)] = { description: `A ${kind} step.`, oneOf: branches };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/flow-engine/flow/schemas/pipeline.schema.json',
    title: 'flow pipeline',
    description: 'A flow pipeline: a source, optional map steps, an optional reduce step and an output.',
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Shown in progress and reports.' },
      params: {
        type: 'object',
        description: 'Defaults of ${{ params.NAME }}; override with `flow run --set NAME=VALUE`.',
        additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
      },
      source: { ...ref(defs.slot('source')), description: 'Where the records come from (exactly one).' },
      chunking: {
        type: 'object',
        description: 'How the source is cut into chunks; by default the engine picks.',
        properties: {
          records: { type: 'integer', minimum: 1, description: 'Records per chunk.' },
          bytes: {
            description: `Bytes per chunk, at least ${MIN_CHUNK_BYTES / 1024}KiB: a number or a size like "8MiB".`,
            // Smaller chunks change no result (a chunk owns the lines that start in it), only multiply the chunks.
            oneOf: [
              { type: 'integer', minimum: MIN_CHUNK_BYTES },
              {
                type: 'string',
                pattern: minSizePattern(SIZE_PATTERN, MIN_CHUNK_BYTES),
                description: `a size of at least ${MIN_CHUNK_BYTES / 1024}KiB, such as "8MiB", "512KiB" or "1GB"`,
              },
            ],
          },
        },
        additionalProperties: false,
      },
      map: { type: 'array', description: 'Steps applied in order to every record, in worker threads.', items: ref(defs.slot('map')) },
      reduce: { ...ref(defs.slot('reduce')), description: 'Combines the records into one result.' },
      output: { ...ref(defs.slot('output')), description: 'Where the result goes; default: stdout as JSON.' },
      'on-error': {
        type: 'object',
        description: 'What happens to a record that cannot be read, or on which a map step throws.',
        properties: {
          action: {
            enum: ['fail', 'skip', 'dead-letter'],
            default: 'fail',
            description: 'fail: the run fails (exit 1); skip: the record is left out and counted; dead-letter: left out and written to the dead-letter file.',
          },
          'dead-letter': {
            type: 'string',
            minLength: 1,
            description: 'With action dead-letter: the file (NDJSON, written atomically) for the rejected records.',
          },
          max: {
            description: 'The error budget: more rejected records than this fails the run. A count, or a share of the records read such as "0.5%".',
            oneOf: [
              { type: 'integer', minimum: 0 },
              { type: 'string', pattern: SHARE_PATTERN, description: 'a share of the records read, such as "0.5%"' },
            ],
          },
        },
        additionalProperties: false,
      },
      retries: {
        type: 'object',
        description: 'A chunk whose worker died, that ran past chunk-timeout, or whose setup threw is run again.',
        properties: {
          attempts: { type: 'integer', minimum: 1, maximum: 100, default: 3, description: 'Attempts in all, the first included.' },
          'chunk-timeout': {
            description: 'A chunk running longer is abandoned, its thread ended, and retried: a duration such as "10m", "30s" or "500ms", or seconds.',
            oneOf: [
              { type: 'number', exclusiveMinimum: 0 },
              { type: 'string', pattern: DURATION_PATTERN, description: 'a duration such as "10m", "30s" or "500ms"' },
            ],
          },
        },
        additionalProperties: false,
      },
      checks: checksSchema,
      workers: {
        description: 'Worker threads: "auto" (one per core) or a number; `flow run --workers N` overrides.',
        oneOf: [{ const: 'auto' }, { type: 'integer', minimum: 1 }],
        default: 'auto',
      },
    },
    required: ['source'],
    additionalProperties: false,
    definitions,
  };
}

/** The plugin steps a resolved pipeline uses, once each, by the name they are written with. */
export async function pluginSteps(plan: Plan): Promise<(PluginSchema & { module: string })[]> {
  const all = [...runSteps(plan), plan.output];
  const plugins: (PluginSchema & { module: string })[] = [];
  for (const resolved of all) {
    if (builtinModule(resolved.kind, resolved.name) || plugins.some((p) => p.name === resolved.name && p.step.kind === resolved.kind)) continue;
    plugins.push({ name: resolved.name, module: resolved.module, step: await importStep(resolved.module, resolved.exportName) });
  }
  return plugins;
}

/** The schema with the plugin steps a resolved pipeline uses, for `flow schema --for PIPELINE`. */
export async function pipelineSchemaFor(plan: Plan): Promise<JSONSchema> {
  return composePipelineSchema(await loadBuiltinSteps(), await pluginSteps(plan));
}

export function schemaText(schema: JSONSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

let committed: JSONSchema | undefined;

/** The committed schemas/pipeline.schema.json: what the validator checks pipelines against. */
export function pipelineSchema(): JSONSchema {
  committed ??= JSON.parse(readFileSync(schemaFile, 'utf8')) as JSONSchema;
  return committed;
}
