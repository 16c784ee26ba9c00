// Compiled JSON Schema validators. The built-in schemas are compiled to JavaScript at build time
// (scripts/gen-validators.mjs -> dist/validators.cjs), so a run starts without importing or running
// ajv's compiler; any other schema (a plugin's options) is compiled with ajv on first use.
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { JSONSchema } from '../../contract/step.js';

const requireHere = createRequire(import.meta.url);

/** An option that is an expression (checked by its step, and where a placeholder goes in as a literal). */
export const EXPRESSION_FORMAT = 'flow-expression';

/** draft-07, every error at once, with data and parent schema on errors (for located messages). */
export const ajvOptions = { allErrors: true, strict: false, verbose: true, formats: { [EXPRESSION_FORMAT]: true } } as const;

/** A stable key for a schema and whether the validator fills in defaults. */
export function validatorKey(schema: JSONSchema, useDefaults: boolean): string {
  const text = `${useDefaults ? 'd' : 'n'}:${JSON.stringify(schema)}`;
  // FNV-1a, twice with different seeds: 64 bits are plenty to tell a few dozen schemas apart.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `v${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}_${text.length}`;
}

let precompiled: Record<string, ValidateFunction> | undefined;

function loadPrecompiled(): Record<string, ValidateFunction> {
  if (!precompiled) {
    try {
      // In the CommonJS CLI bundle `require` is real: the bundler inlines the validators, so they load
      // with the bundle's code cache instead of being compiled from their own file.
      precompiled = (typeof require === 'function' ? require('../../../validators.cjs') : requireHere('../../../validators.cjs')) as Record<
        string,
        ValidateFunction
      >;
    } catch {
      precompiled = {}; // running from source, or before the build step: compile on demand
    }
  }
  return precompiled;
}

type Ajv = { compile(schema: JSONSchema): ValidateFunction };
const instances = new Map<boolean, Ajv>();

function ajv(useDefaults: boolean): Ajv {
  let instance = instances.get(useDefaults);
  if (!instance) {
    const Ajv = (requireHere('ajv') as { default: new (options: object) => Ajv }).default;
    instance = new Ajv({ ...ajvOptions, useDefaults });
    instances.set(useDefaults, instance);
  }
  return instance;
}

const cache = new WeakMap<object, Map<boolean, ValidateFunction>>();

/** The validator of a schema (cached per schema object); throws if the schema is not valid JSON Schema. */
export function compileSchema(schema: JSONSchema, useDefaults = false): ValidateFunction {
  let bySchema = cache.get(schema);
  if (!bySchema) cache.set(schema, (bySchema = new Map()));
  let fn = bySchema.get(useDefaults);
  if (!fn) {
    fn = loadPrecompiled()[validatorKey(schema, useDefaults)] ?? ajv(useDefaults).compile(withoutId(schema));
    bySchema.set(useDefaults, fn);
  }
  return fn;
}

/** Schemas are cached by object here, not by $id: two different schemas may carry the same $id. */
function withoutId(schema: JSONSchema): JSONSchema {
  const { $id: _, ...body } = schema;
  return body;
}
