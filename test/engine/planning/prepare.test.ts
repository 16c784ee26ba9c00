import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError, FlowErrors } from '../../../engine/contract/errors.js';
import { preparePipeline } from '../../../engine/planning/prepare.js';

function pipeline(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-prepare-'));
  const file = path.join(dir, 'pipeline.yaml');
  writeFileSync(file, yaml);
  return file;
}

const yaml = `name: squares
params:
  limit: 10
  min: 2
source:
  step: range
  with: { end: "\${{ params.limit }}" }
map:
  - step: filter
    with: { where: "r >= \${{ params.min }}" }
reduce: sum
workers: auto
`;

describe('preparePipeline', () => {
  it('loads, interpolates (with --set typed like YAML), validates and resolves', async () => {
    const file = pipeline(yaml);
    const { plan, spec } = await preparePipeline(file, { set: { limit: '100' }, env: {}, workers: 3 });
    expect(spec.params).toEqual({ limit: 100, min: 2 });
    expect(spec.source).toEqual({ step: 'range', with: { end: 100 } });
    expect(plan.source.options).toEqual({ start: 0, end: 100, step: 1 });
    expect(plan.map[0]!.options).toEqual({ where: 'r >= 2' });
    // The params in effect reach the steps (ctx.params) through the plan.
    expect(plan.params).toEqual({ limit: 100, min: 2 });
    expect(plan.reduce).toMatchObject({ name: 'sum', path: 'reduce', location: { file, line: 11, column: 9, length: 3 } });
    expect(plan).toMatchObject({ name: 'squares', pipelineFile: file, pipelineDir: path.dirname(file), workers: 3 });
  });

  it('a --set string where a number is needed is a located WRONG_TYPE at the placeholder’s value', async () => {
    const err = await preparePipeline(pipeline(yaml), { set: { limit: 'ten' }, env: {} }).catch((e: unknown) => e);
    expect((err as FlowError).toJSON()).toMatchObject({ code: 'WRONG_TYPE', path: 'source.with.end', location: { line: 7, column: 16 } });
  });

  it('reports schema errors and step errors of one file together, in file order', async () => {
    const err = await preparePipeline(pipeline('source: { step: range, with: { end: x } }\nmap: [{ step: filter, with: { where: "r >" } }]\nworkers: none\n'), {
      env: {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowErrors);
    expect((err as FlowErrors).errors.map((e) => [e.code, e.path])).toEqual([
      ['WRONG_TYPE', 'source.with.end'],
      ['EXPR_SYNTAX', 'map[0].with.where'],
      ['INVALID_VALUE', 'workers'],
    ]);
  });

  it('stops at the first stage that fails: placeholders are checked before the schema', async () => {
    const err = await preparePipeline(pipeline('source: { step: "${{ params.s }}" }\nworkers: none\n'), { env: {} }).catch((e: unknown) => e);
    expect((err as FlowError).code).toBe('UNDEFINED_PARAM');
  });

  it('names a missing file', async () => {
    const err = await preparePipeline('/no/such/pipeline.yaml').catch((e: unknown) => e);
    expect((err as FlowError).code).toBe('FILE_NOT_FOUND');
  });

  it('inserts a placeholder in an expression as a literal, also a lone one of another type', async () => {
    const file = pipeline(`params:
  title: x
  keep: true
source: { step: range, with: { end: 3 } }
map:
  - step: filter
    with: { where: "String(r) == \${{ params.title }}" }
  - step: filter
    with: { where: "\${{ params.keep }}" }
  - step: set
    with: { fields: { a: "'\${{ params.title }}' + r", b: "\${{ params.title }}" } }
`);
    const { plan } = await preparePipeline(file, { set: { title: '1 || true' }, env: {} });
    expect(plan.map.map((m) => m.options)).toEqual([
      { where: 'String(r) == "1 || true"' },
      { where: 'true' },
      { fields: { a: "'1 || true' + r", b: '"1 || true"' } },
    ]);
  });

  it("does the same in a check's where (marked in the pipeline schema, outside any step)", async () => {
    const file = pipeline('params:\n  bad: x\nsource: { step: range, with: { end: 3 } }\nchecks:\n  - where: "String(r) != ${{ params.bad }}"\n');
    const { spec } = await preparePipeline(file, { set: { bad: '1" || "' }, env: {} });
    expect(spec.checks?.map((c) => ('expr' in c ? c.expr : undefined))).toEqual(['String(r) != "1\\" || \\""']);
  });

  it('offline: an unset env variable is unknown, input files need not exist, everything else is checked', async () => {
    const file = pipeline(`params:
  dir: \${{ env.DATA_DIR }}
source: { step: file, with: { path: "\${{ env.DATA_DIR }}/in.csv" } }
map:
  - step: filter
    with: { where: "r.delay > \${{ env.MIN }}" }
workers: \${{ env.WORKERS }}
output: { step: file, with: { path: "\${{ params.dir }}/out.csv" } }
`);
    const online = await preparePipeline(file, { env: {} }).catch((e: unknown) => e);
    expect((online as FlowErrors).errors.map((e) => e.code)).toEqual(['UNDEFINED_ENV', 'UNDEFINED_ENV', 'UNDEFINED_ENV', 'UNDEFINED_ENV']);
    const { plan } = await preparePipeline(file, { env: {}, offline: true });
    expect(plan.map[0]!.options).toEqual({ where: 'r.delay > null' });
    // A file that does not exist, written plainly, is fine offline too; a bad expression is not.
    const missing = pipeline('source: { step: file, with: { path: data/none.csv } }\nmap: [{ step: filter, with: { where: "r.a >" } }]\n');
    await expect(preparePipeline(missing, { env: {} })).rejects.toMatchObject({ errors: [{ code: 'NO_INPUT_MATCH' }, { code: 'EXPR_SYNTAX' }] });
    await expect(preparePipeline(missing, { env: {}, offline: true })).rejects.toMatchObject({ code: 'EXPR_SYNTAX', path: 'map[0].with.where' });
    // A step's check that needs a value not known yet (range's end) does not fail offline.
    const unknownEnd = pipeline(
      'source: { step: range, with: { end: "${{ env.N }}", step: "${{ env.S }}" } }\nreduce: { step: top, with: { n: "${{ env.TOP }}", by: x } }\n',
    );
    await expect(preparePipeline(unknownEnd, { env: {}, offline: true })).resolves.toMatchObject({ plan: { source: { name: 'range' } } });
  });
});
