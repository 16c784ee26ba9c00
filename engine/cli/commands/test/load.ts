// A test file: read, parsed (the pipeline parser's limits and located syntax errors), checked
// against its JSON Schema; integers are read as BigInt so that expected values stay exact.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { catalogue, FlowError, throwIfAny, type SourceLocation } from '../../../contract/errors.js';
import { didYouMean } from '../../../contract/suggest.js';
import { MAX_PIPELINE_BYTES } from '../../../planning/load.js';
import { MAX_ALIAS_COUNT, parsePipeline } from '../../../planning/parse.js';
import { schemaErrors } from '../../../planning/validate/schema-errors.js';
import { sortErrors } from '../../../planning/validate/validate.js';
import { compileSchema } from '../../../planning/validate/validators.js';
import { locate, type PipelineSource } from '../../../planning/yaml-locate.js';
import { inputFormats, testFileSchema } from './schema.js';

export type TestInput =
  { kind: 'text'; format: (typeof inputFormats)[number]; text: string } | { kind: 'records'; records: unknown[] } | { kind: 'file'; file: string };

export interface ExpectError {
  code?: string;
  line?: number;
  column?: number;
  step?: string;
  message?: string;
}

export interface TestCase {
  /** Its place in `tests:`. */
  index: number;
  name: string;
  set: Record<string, string>;
  env: Record<string, string>;
  input?: TestInput;
  /** Present when the test has `expect:` (its value may be null). */
  expect?: { value: unknown };
  expectError?: ExpectError;
  expectChecks?: { failed: string[] };
  location?: SourceLocation;
}

export interface TestFile {
  /** Absolute path. */
  file: string;
  /** Absolute path of the pipeline it tests. */
  pipeline: string;
  tests: TestCase[];
}

export async function loadTestFile(file: string): Promise<TestFile> {
  const absolute = path.resolve(file);
  const text = await readTestFile(absolute);
  const src = parsePipeline(text, absolute);
  const plain: unknown = src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  const validate = compileSchema(testFileSchema);
  if (plain === null || plain === undefined) throw emptyFile(src);
  const errors = validate(plain) ? [] : schemaErrors(validate.errors, plain, [], src);
  const written = (plain as { tests?: unknown }).tests;
  if (Array.isArray(written)) written.forEach((raw, index) => isObject(raw) && errors.push(...inputProblem(raw, index, src)));
  throwIfAny(sortErrors(errors));
  // The same text again, integers as BigInt: an expected sum past 2^53 is compared exactly.
  const exact = parseDocument(text, { intAsBigInt: true, uniqueKeys: false, merge: false }).toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as {
    pipeline: string;
    tests: Record<string, unknown>[];
  };
  const tests = exact.tests.map((raw, index) => toTestCase(raw, index, src, path.dirname(absolute)));
  throwIfAny(problems(tests, src));
  return { file: absolute, pipeline: path.resolve(path.dirname(absolute), exact.pipeline), tests };
}

async function readTestFile(file: string): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    if (text.length > MAX_PIPELINE_BYTES)
      throw new FlowError({
        code: 'YAML_TOO_LARGE',
        message: `the test file ${file} is larger than 1 MiB`,
        hint: 'put large inputs in a file and name it with input: { file: ... }',
      });
    return text.replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof FlowError) throw error;
    throw new FlowError({ code: 'FILE_NOT_FOUND', message: `cannot read the test file ${file}: ${(error as Error).message}` });
  }
}

function emptyFile(src: PipelineSource): FlowError {
  const location = locate(src, [], 'value');
  return new FlowError({
    code: 'MISSING_KEY',
    message: 'the test file is empty',
    ...(location ? { location } : {}),
    hint: 'a test file needs pipeline: and tests:',
  });
}

function toTestCase(raw: Record<string, unknown>, index: number, src: PipelineSource, dir: string): TestCase {
  const location = locate(src, ['tests', index], 'value');
  const test: TestCase = { index, name: String(raw.name), set: textValues(raw.set), env: textValues(raw.env), ...(location ? { location } : {}) };
  const input = raw.input as Record<string, unknown> | undefined;
  if (input) {
    const [key, value] = Object.entries(input)[0]!;
    if (key === 'records') test.input = { kind: 'records', records: value as unknown[] };
    else if (key === 'file') test.input = { kind: 'file', file: path.resolve(dir, String(value)) };
    else test.input = { kind: 'text', format: key as (typeof inputFormats)[number], text: String(value) };
  }
  if (Object.hasOwn(raw, 'expect')) test.expect = { value: raw.expect };
  const error = raw['expect-error'] as Record<string, unknown> | undefined;
  if (error) {
    test.expectError = {};
    for (const key of ['code', 'step', 'message'] as const) if (error[key] !== undefined) test.expectError[key] = String(error[key]);
    for (const key of ['line', 'column'] as const) if (error[key] !== undefined) test.expectError[key] = Number(error[key]);
  }
  const checks = raw['expect-checks'] as { failed: unknown[] } | undefined;
  if (checks) test.expectChecks = { failed: checks.failed.map(String) };
  return test;
}

/** `set:` and `env:` values as the command line would give them (an object or a list as its JSON). */
function textValues(value: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (value === null || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value)) {
    out[key] = v !== null && typeof v === 'object' ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) : String(v);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `input:` holds exactly one kind of input. */
function inputProblem(raw: Record<string, unknown>, index: number, src: PipelineSource): FlowError[] {
  const input = raw.input;
  if (!isObject(input) || Object.keys(input).length === 1) return [];
  const kinds = Object.keys(input);
  const location = locate(src, ['tests', index, 'input'], 'value');
  const all = [...inputFormats, 'records', 'file'].join(', ');
  return [
    new FlowError({
      code: 'INVALID_VALUE',
      message: kinds.length === 0 ? 'no input given' : `${kinds.length} inputs (${kinds.join(', ')}): a test has one`,
      path: `tests[${index}].input`,
      ...(location ? { location } : {}),
      hint: `one of ${all}`,
    }),
  ];
}

/** What the schema cannot say: a result and an error expected at once; two tests of one name. */
function problems(tests: TestCase[], src: PipelineSource): FlowError[] {
  const errors: FlowError[] = [];
  const seen = new Set<string>();
  for (const test of tests) {
    if (test.expect && test.expectError) {
      const location = locate(src, ['tests', test.index, 'expect-error'], 'key');
      errors.push(
        new FlowError({
          code: 'INVALID_VALUE',
          message: `test "${test.name}" expects a result and an error`,
          path: `tests[${test.index}]`,
          ...(location ? { location } : {}),
          hint: 'a run either gives a result or fails: keep expect: or expect-error:',
        }),
      );
    }
    const code = test.expectError?.code;
    if (code !== undefined && !Object.hasOwn(catalogue, code)) {
      const location = locate(src, ['tests', test.index, 'expect-error', 'code'], 'value');
      const near = didYouMean(code, Object.keys(catalogue));
      errors.push(
        new FlowError({
          code: 'INVALID_VALUE',
          message: `no error code ${code}`,
          path: `tests[${test.index}].expect-error.code`,
          ...(location ? { location } : {}),
          hint: near ? `did you mean \`${near}\`?` : 'the codes are in engine/contract/errors.ts (RECORD_PARSE, STEP_FAILED, CHECK_FAILED, ...)',
        }),
      );
    }
    if (seen.has(test.name)) {
      const location = locate(src, ['tests', test.index, 'name'], 'value');
      errors.push(
        new FlowError({
          code: 'INVALID_VALUE',
          message: `two tests are named "${test.name}"`,
          path: `tests[${test.index}].name`,
          ...(location ? { location } : {}),
          hint: 'names tell the tests apart in the output and in JUnit',
        }),
      );
    }
    seen.add(test.name);
  }
  return errors;
}
