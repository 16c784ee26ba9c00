// The JSON Schema of `checks:` (composed into schemas/pipeline.schema.json). It types each key; that a
// check has exactly one kind key, and that its expressions are sound, is checked in validate.ts with
// located messages instead of a oneOf's pile of branch errors.
import type { JSONSchema } from '../../contract/step.js';

export const CHECK_KINDS = ['rows', 'not-null', 'unique', 'values-in', 'where', 'result'] as const;

/** A share of the records, "0.1%" (the same form as on-error.max). */
const SHARE = '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$';

const fieldOrFields = (what: string): JSONSchema => ({
  description: what,
  // One schema for both forms (not a oneOf): a bad value gets one message, not one per branch.
  type: ['string', 'array'],
  minLength: 1,
  items: { type: 'string', minLength: 1 },
  minItems: 1,
});

export const checkSchema: JSONSchema = {
  type: 'object',
  description: 'A data check: one kind key (rows, not-null, unique, values-in, where, result), and optionally name, allow and severity.',
  properties: {
    rows: {
      type: 'object',
      description: 'The number of records that reach reduce/output (after map) is at least min and at most max.',
      properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } },
      additionalProperties: false,
    },
    'not-null': fieldOrFields('A field, or a list of fields, that no record may have null or missing.'),
    unique: fieldOrFields(
      'A field, or a list of fields forming one composite key, that no two records share. Records with a null or missing key part are not checked (see not-null).',
    ),
    'values-in': {
      type: 'object',
      description: "Every record's field holds one of the values (null or missing fails unless null is listed).",
      properties: {
        field: { type: 'string', minLength: 1 },
        values: { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'] }, minItems: 1 },
      },
      required: ['field', 'values'],
      additionalProperties: false,
    },
    where: {
      type: 'string',
      format: 'flow-expression',
      minLength: 1,
      description: 'An expression over each record r that must be truthy, e.g. "r.delay < 1440".',
    },
    result: {
      type: 'string',
      format: 'flow-expression',
      minLength: 1,
      description: 'An expression over the final result, `result`, that must be truthy, e.g. "result.length >= 200".',
    },
    name: { type: 'string', minLength: 1, description: 'Shown in messages and reports instead of the kind and fields.' },
    allow: {
      description: 'Failing records allowed: a count, or a share of the records checked such as "0.1%". Default 0.',
      oneOf: [
        { type: 'integer', minimum: 0 },
        { type: 'string', pattern: SHARE, description: 'a share of the records checked, such as "0.1%"' },
      ],
    },
    severity: {
      enum: ['error', 'warn'],
      default: 'error',
      description: 'error: a failing check ends the run with exit 3 and nothing written; warn: its message is printed and the run succeeds.',
    },
  },
  additionalProperties: false,
};

export const checksSchema: JSONSchema = {
  type: 'array',
  description: 'Data checks over the records that reach reduce/output (after map), computed in the same pass; a failed error check exits 3.',
  items: checkSchema,
};

/** Each check kind and what it checks, from the schema (for `flow steps`). */
export function checkKindSummaries(): Array<[kind: string, summary: string]> {
  const properties = checkSchema.properties as Record<string, JSONSchema>;
  return CHECK_KINDS.map((kind) => [kind, String(properties[kind]!.description)]);
}
