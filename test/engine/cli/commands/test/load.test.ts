import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError, FlowErrors } from '../../../../../engine/contract/errors.js';
import { loadTestFile } from '../../../../../engine/cli/commands/test/load.js';

function write(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'flow-load-')), 'p.test.yaml');
  writeFileSync(file, text);
  return file;
}

async function errorsOf(text: string): Promise<FlowError[]> {
  try {
    await loadTestFile(write(text));
  } catch (error) {
    if (error instanceof FlowErrors) return error.errors;
    if (error instanceof FlowError) return [error];
    throw error;
  }
  throw new Error('loaded');
}

describe('loadTestFile', () => {
  it('reads tests: paths relative to the file, params and variables as text, integers exact', async () => {
    const file = write(`pipeline: ../p.yaml
tests:
  - name: all
    set: { n: 10, title: "Children's", flag: true, list: [1, 2] }
    env: { REGION: eu, N: 3 }
    input: { file: data/x.csv }
    expect: 333332833333500000
  - name: text
    input: { tsv: "a\\tb\\n1\\t2\\n" }
    expect: null
  - name: records
    input: { records: [{ a: 1 }] }
    expect-error: { code: RECORD_PARSE, line: 2, step: "map[0]", message: bad }
  - name: checks
    expect-checks: { failed: [not-null, my check] }
`);
    const loaded = await loadTestFile(file);
    const dir = path.dirname(file);
    expect(loaded.file).toBe(file);
    expect(loaded.pipeline).toBe(path.resolve(dir, '../p.yaml'));
    const [all, text, records, checks] = loaded.tests;
    expect(all).toMatchObject({ index: 0, name: 'all', input: { kind: 'file', file: path.join(dir, 'data/x.csv') } });
    expect({ ...all!.set }).toEqual({ n: '10', title: "Children's", flag: 'true', list: '[1,2]' });
    expect({ ...all!.env }).toEqual({ REGION: 'eu', N: '3' });
    expect(all!.expect).toEqual({ value: 333332833333500000n });
    expect(all!.location).toMatchObject({ file, line: 3, column: 5 });
    expect(text).toMatchObject({ input: { kind: 'text', format: 'tsv', text: 'a\tb\n1\t2\n' }, expect: { value: null } });
    expect(records).toMatchObject({
      input: { kind: 'records', records: [{ a: 1n }] },
      expectError: { code: 'RECORD_PARSE', line: 2, step: 'map[0]', message: 'bad' },
    });
    expect(records!.expect).toBeUndefined();
    expect(checks!.expectChecks).toEqual({ failed: ['not-null', 'my check'] });
  });

  it('reports what the schema refuses at its line and column, with a did-you-mean', async () => {
    const errors = await errorsOf('pipeline: p.yaml\ntests:\n  - name: a\n    expcet: 1\n  - name: b\n    input: { ndjson: "", csv: "" }\n  - expect: 1\n');
    expect(errors.map((e) => [e.code, e.location?.line, e.location?.column])).toEqual([
      ['UNKNOWN_KEY', 4, 5],
      ['INVALID_VALUE', 6, 12],
      ['MISSING_KEY', 7, 5],
    ]);
    expect(errors[0]!.hint).toBe('did you mean `expect`?');
    expect(errors.every((e) => e.exitCode === 2)).toBe(true);
  });

  it('refuses a test expecting a result and an error, and two tests of one name', async () => {
    const errors = await errorsOf('pipeline: p.yaml\ntests:\n  - name: a\n    expect: 1\n    expect-error: { code: STEP_FAILED }\n  - name: a\n');
    expect(errors.map((e) => [e.message, e.location?.line])).toEqual([
      ['test "a" expects a result and an error', 5],
      ['two tests are named "a"', 6],
    ]);
  });

  it('refuses an empty file, a YAML syntax error and an unknown error code, located', async () => {
    expect((await errorsOf(''))[0]).toMatchObject({ code: 'MISSING_KEY', message: 'the test file is empty' });
    expect((await errorsOf('pipeline: [\n'))[0]!.code).toBe('YAML_SYNTAX');
    const [code] = await errorsOf('pipeline: p.yaml\ntests:\n  - name: a\n    expect-error: { code: NOPE }\n');
    expect(code).toMatchObject({ code: 'INVALID_VALUE', location: { line: 4 } });
  });
});
