// Reports of real runs through the CLI, ok and failed, each valid against schemas/report.schema.json
// (what `flow schema --report` prints).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../../helpers/cli.js';

const schema = JSON.parse(readFileSync(path.join(root, 'schemas/report.schema.json'), 'utf8')) as object;
// date-time is a format ajv checks only with ajv-formats: startedAt is checked below instead.
const validate = new Ajv({ strict: true, allErrors: true, validateFormats: false }).compile(schema);

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-report-e2e-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

async function reported(dir: string, args: string[]) {
  const run = await runFlow(['run', 'pipeline.yaml', '--quiet', '--report', 'report.json', ...args], { cwd: dir });
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Record<string, any>;
  expect(validate(report), JSON.stringify(validate.errors, null, 2)).toBe(true);
  expect(new Date(report.startedAt as string).toISOString()).toBe(report.startedAt);
  expect(Number.isInteger(report.elapsedMs)).toBe(true);
  return { run, report };
}

const csv = `id,city,temp\n${Array.from({ length: 200 }, (_, i) => `${i},${['oslo', 'rome', 'lima'][i % 3]},${i % 40}`).join('\n')}\n`;
const pipeline = (extra = '') => `name: warm-cities
params:
  min_temp: 10
source:
  step: file
  with: { path: data.csv }
map:
  - step: filter
    with: { where: "r.temp >= \${{ params.min_temp }}" }
  - step: set
    with: { fields: { warm: "r.temp > 30" } }
reduce:
  step: group
  with: { by: city, aggregate: { n: count } }
output:
  step: file
  with: { path: out/cities.json }
${extra}`;

describe('--report (schemaVersion 1)', () => {
  it('an ok run: version, params after --set, inputs, the output with its sha256, per-step counts, stage timings', async () => {
    const dir = project({ 'pipeline.yaml': pipeline(), 'data.csv': csv });
    const { run, report } = await reported(dir, ['--set', 'min_temp=20', '--workers', '2']);
    expect(run.code).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const written = readFileSync(path.join(dir, 'out/cities.json'));
    // temps run 0..39 over and over: 20..39 is half of every 40 ids.
    const kept = Array.from({ length: 200 }, (_, i) => i % 40).filter((t) => t >= 20).length;
    expect(report).toMatchObject({
      schemaVersion: 1,
      flow: { version: pkg.version },
      pipeline: { path: 'pipeline.yaml', name: 'warm-cities' },
      status: 'ok',
      exitCode: 0,
      params: { min_temp: 20 },
      workers: 'in-process',
      inputs: [{ path: 'data.csv', bytes: Buffer.byteLength(csv), format: 'csv' }],
      outputs: [
        {
          kind: 'output',
          path: 'out/cities.json',
          format: 'json',
          records: 3,
          bytes: written.length,
          sha256: createHash('sha256').update(written).digest('hex'),
          written: true,
        },
      ],
      steps: [
        { step: 'source', name: 'file', recordsOut: 200 },
        { step: 'map[0]', name: 'filter', recordsIn: 200, recordsOut: kept },
        { step: 'map[1]', name: 'set', recordsIn: kept, recordsOut: kept },
        { step: 'reduce', name: 'group', recordsIn: kept },
      ],
      checks: [],
      retries: 0,
      warnings: [],
      errors: [],
    });
    expect(Object.keys(report.stages as object)).toEqual(['validate', 'resolve', 'run', 'reduce', 'write']);
    expect(report.summary).not.toHaveProperty('steps');
  });

  it('the same counts on worker threads in many chunks', async () => {
    const dir = project({ 'pipeline.yaml': `${pipeline()}chunking: { bytes: 1KiB }\n`, 'data.csv': csv.repeat(1).concat() });
    const { report } = await reported(dir, ['--workers', '2']);
    const kept = Array.from({ length: 200 }, (_, i) => i % 40).filter((t) => t >= 10).length;
    expect(report.workers).toBe(2);
    expect(report.summary.chunks).toBeGreaterThan(2);
    expect(report.steps).toEqual([
      { step: 'source', name: 'file', recordsOut: 200 },
      { step: 'map[0]', name: 'filter', recordsIn: 200, recordsOut: kept },
      { step: 'map[1]', name: 'set', recordsIn: kept, recordsOut: kept },
      { step: 'reduce', name: 'group', recordsIn: kept },
    ]);
  });

  it('a failed run: exit 1, the error, the counts reached, nothing written', async () => {
    const bad = csv.replace('\n57,', '\n57,"oops,');
    const dir = project({ 'pipeline.yaml': pipeline(), 'data.csv': bad });
    const { run, report } = await reported(dir, []);
    expect(run.code).toBe(1);
    expect(report).toMatchObject({
      status: 'failed',
      exitCode: 1,
      params: { min_temp: 10 },
      outputs: [{ kind: 'output', path: 'out/cities.json', format: 'json', written: false }],
      errors: [{ code: 'RECORD_PARSE', record: { file: 'data.csv', line: 59 } }],
    });
    expect(report.outputs[0]).not.toHaveProperty('sha256');
    expect(report.steps[0]).toMatchObject({ step: 'source', name: 'file' });
  });

  it('an invalid pipeline: exit 2, every error located at file:line:col, no counts', async () => {
    const dir = project({ 'pipeline.yaml': pipeline().replace('step: filter', 'step: fliter'), 'data.csv': csv });
    const { run, report } = await reported(dir, []);
    expect(run.code).toBe(2);
    expect(report).toMatchObject({
      status: 'failed',
      exitCode: 2,
      steps: [],
      outputs: [],
      errors: [{ code: 'UNKNOWN_STEP', location: { file: path.join(dir, 'pipeline.yaml'), line: 8, column: 11 } }],
    });
    expect(report).not.toHaveProperty('summary');
  });

  it('on-error dead-letter: the rejected records per step, and the dead-letter file among the outputs', async () => {
    const onError = 'on-error: { action: dead-letter, dead-letter: out/rejects.ndjson }\n';
    const dir = project({
      'pipeline.yaml': pipeline(onError).replace('"r.temp > 30"', '"r.temp > 30 ? r.city.x.y : false"'),
      'data.csv': csv.replace('\n57,', '\n57,"oops,'),
    });
    const { run, report } = await reported(dir, []);
    expect(run.code).toBe(0);
    const thrown = Array.from({ length: 200 }, (_, i) => i).filter((i) => i !== 57 && i % 40 > 30).length;
    const passed = Array.from({ length: 200 }, (_, i) => i).filter((i) => i !== 57 && i % 40 >= 10).length;
    expect(report.steps).toEqual([
      { step: 'source', name: 'file', recordsOut: 199, rejected: 1 },
      { step: 'map[0]', name: 'filter', recordsIn: 199, recordsOut: passed },
      { step: 'map[1]', name: 'set', recordsIn: passed, recordsOut: passed - thrown, rejected: thrown },
      { step: 'reduce', name: 'group', recordsIn: passed - thrown },
    ]);
    const letters = readFileSync(path.join(dir, 'out/rejects.ndjson'));
    expect(report.outputs[1]).toEqual({
      kind: 'dead-letter',
      path: 'out/rejects.ndjson',
      format: 'ndjson',
      records: thrown + 1,
      bytes: letters.length,
      sha256: createHash('sha256').update(letters).digest('hex'),
      written: true,
    });
  });

  it('checks and warnings: a failed error check exits 3 with its counts, a warn check among the warnings, nothing written', async () => {
    const checks = `checks:
  - rows: { min: 1 }
  - where: "r.temp < 35"
    name: not too hot
    severity: warn
  - values-in: { field: city, values: [oslo, rome] }
`;
    const dir = project({ 'pipeline.yaml': pipeline(checks).replace('min_temp: 10', 'min_temp: 0'), 'data.csv': csv });
    const { run, report } = await reported(dir, []);
    expect(run.code).toBe(3);
    expect(report).toMatchObject({
      status: 'failed',
      exitCode: 3,
      outputs: [{ kind: 'output', path: 'out/cities.json', written: false }],
      checks: [
        { name: 'rows at least 1', kind: 'rows', severity: 'error', passed: true, checked: 200 },
        { name: 'not too hot', kind: 'where', severity: 'warn', passed: false, checked: 200, failing: 25, allowed: 0 },
        { kind: 'values-in', severity: 'error', passed: false, checked: 200, failing: 66, allowed: 0 },
      ],
      warnings: [{ code: 'CHECK_FAILED', location: { line: 20, column: 5 } }],
      errors: [{ code: 'CHECK_FAILED', location: { file: path.join(dir, 'pipeline.yaml'), line: 23, column: 5 } }],
    });
    expect(report.checks[2].examples).toEqual([2, 5, 8, 11, 14].map((id) => ({ file: 'data.csv', line: id + 2 })));
  });

  it('flow schema --report prints the committed schema', async () => {
    const run = await runFlow(['schema', '--report']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(root, 'schemas/report.schema.json'), 'utf8'));
  });
});
