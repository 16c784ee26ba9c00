// An editor reads a pipeline as written, before `${{ params.X }}` and `${{ env.X }}` are replaced, so
// `count: "${{ params.count }}"` would be flagged as "not an integer". In the schema composed for
// editors, every typed option also accepts a string that is exactly one placeholder (as GitHub
// Actions' schema does). The engine itself validates `with:` against the step's own options schema,
// after interpolation, where no placeholder is left.
import type { JSONSchema } from '../../contract/step.js';

export const placeholderDefinition = 'placeholder';

export const placeholderSchema: JSONSchema = {
  type: 'string',
  pattern: '^\\s*\\$\\{\\{\\s*(params|env)\\.[A-Za-z_][A-Za-z0-9_-]*\\s*\\}\\}\\s*$',
  description: 'A ${{ params.NAME }} or ${{ env.NAME }} placeholder, replaced before the pipeline is validated.',
};

const placeholderRef = { $ref: `#/definitions/${placeholderDefinition}` };

/** Keywords that hold one subschema per key, walked into (never wrapped themselves). */
const schemaMaps = ['properties', 'patternProperties'] as const;

const isObject = (value: unknown): value is JSONSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A plain string schema already accepts a placeholder; anything narrower or typed otherwise may not. */
function acceptsAnyString(schema: JSONSchema): boolean {
  const keys = Object.keys(schema).filter((k) => !['description', 'default', 'title', 'examples', 'minLength'].includes(k));
  return schema.type === 'string' && keys.every((k) => k === 'type' || (k === 'format' && schema.format === 'flow-expression'));
}

/** `schema` with a placeholder allowed for every value that is not an object or an array. */
export function acceptPlaceholders(schema: JSONSchema): JSONSchema {
  const container = schema.type === 'object' || schema.type === 'array' || isObject(schema.properties) || schema.items !== undefined;
  if (container) {
    const out: JSONSchema = { ...schema };
    for (const key of schemaMaps) {
      if (isObject(out[key])) out[key] = Object.fromEntries(Object.entries(out[key]).map(([k, v]) => [k, isObject(v) ? acceptPlaceholders(v) : v]));
    }
    if (isObject(out.additionalProperties)) out.additionalProperties = acceptPlaceholders(out.additionalProperties);
    if (isObject(out.items)) out.items = acceptPlaceholders(out.items);
    return out;
  }
  if (acceptsAnyString(schema)) return schema;
  // Description and default stay outside, where hover and completion look for them.
  const { description, default: fallback, title, ...rest } = schema;
  if (Object.keys(rest).length === 0) return schema;
  return {
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
    anyOf: [rest, placeholderRef],
  };
}
