// The JSON Schema of a test file (`*.test.yaml`), checked with ajv like a pipeline, errors at line:col.
import type { JSONSchema } from '../../../contract/step.js';

export const inputFormats = ['ndjson', 'csv', 'tsv', 'lines'] as const;

const input: JSONSchema = {
  type: 'object',
  description: "Replaces the pipeline's source: one of ndjson, csv, tsv or lines text (read by the real readers), records, or a file.",
  properties: {
    ndjson: { type: 'string', description: 'NDJSON text, one record a line.' },
    csv: { type: 'string', description: 'CSV text, a header line first.' },
    tsv: { type: 'string', description: 'TSV text, a header line first.' },
    lines: { type: 'string', description: 'Lines of text, one record (a string) a line.' },
    records: { type: 'array', description: 'Plain records.' },
    file: { type: 'string', minLength: 1, description: 'A data file, relative to the test file (its format from its extension).' },
  },
  additionalProperties: false,
  // One of them: load.ts says so in its own words (ajv's "must NOT have more than 1 properties" would not).
};

const test: JSONSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, description: 'Shown in the output and in JUnit.' },
    set: { type: 'object', description: 'Params for this test, like `flow run --set`.' },
    env: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'Environment variables for `${{ env.NAME }}`.' },
    input,
    expect: { description: "The reduce step's result, or a map-only pipeline's output records." },
    'expect-error': {
      type: 'object',
      description: 'Any fields of the error the run must fail with.',
      properties: {
        code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', description: 'An error code, e.g. RECORD_PARSE, STEP_FAILED, CHECK_FAILED.' },
        line: { type: 'integer', minimum: 1, description: 'The line of the error (of the data for a record error).' },
        column: { type: 'integer', minimum: 1 },
        step: { type: 'string', description: 'The step, as errors name it: `map[0] (filter)`.' },
        message: { type: 'string', description: 'A part of the message.' },
      },
      additionalProperties: false,
      minProperties: 1,
    },
    'expect-checks': {
      type: 'object',
      description: 'The data checks that fail.',
      properties: { failed: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'The kinds or names of the checks that fail.' } },
      required: ['failed'],
      additionalProperties: false,
    },
  },
  required: ['name'],
  additionalProperties: false,
};

/** Also committed as schemas/pipeline-test.schema.json for editors (`flow schema --test` prints it). */
export const testFileSchema: JSONSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/flow-engine/flow/schemas/pipeline-test.schema.json',
  title: 'flow pipeline tests',
  description: 'A *.test.yaml file: the pipeline it tests and its tests, run by `flow test`.',
  type: 'object',
  properties: {
    pipeline: { type: 'string', minLength: 1, description: 'The pipeline file, relative to the test file.' },
    tests: { type: 'array', items: test, minItems: 1 },
  },
  required: ['pipeline', 'tests'],
  additionalProperties: false,
};
