// The NDJSON columns fast path (FLOW_NO_NDJSON_COLUMNS) end to end: group-bys over the real 3M-row
// flights NDJSON, plain and gzipped, give the same bytes from the columns as record by record, on 1
// and 2 workers and with WebAssembly off (then every chunk goes record by record); a file of mixed
// shapes, escapes and blank lines too; and a field no line has is still warned about.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../helpers/cli.js';
import { query, sqlString } from '../../../helpers/duckdb.js';
import { tempDir, write } from './helpers.js';

const dir = tempDir();
const ndjson = path.join(root, '.cache/data/flights-3m.ndjson');

async function run(file: string, group: string, workers: number, env: NodeJS.ProcessEnv, chunking = '') {
  const pipeline = write(
    dir,
    `p${Math.random().toString(36).slice(2)}.yaml`,
    `source: { step: file, with: { path: ${JSON.stringify(file)} } }\n${chunking}reduce: { step: group, with: ${group} }\n`,
  );
  const report = `${pipeline}.report.json`;
  const result = await runFlow(['run', pipeline, '--quiet', '--workers', String(workers), '--report', report], { env });
  expect(result.code, result.stderr).toBe(0);
  const written = JSON.parse(readFileSync(report, 'utf8'));
  return { ...result, summary: written.summary, warnings: written.warnings };
}

async function sameBytes(file: string, group: string, chunking = ''): Promise<string> {
  const base = await run(file, group, 2, {}, chunking);
  expect(base.summary.execution.form).toBe('columns');
  expect(base.stdout.length).toBeGreaterThan(2);
  for (const [workers, env] of [
    [1, {}],
    [1, { FLOW_NO_NDJSON_COLUMNS: '1' }],
    [2, { FLOW_NO_NDJSON_COLUMNS: '1' }],
    [2, { FLOW_NO_WASM: '1' }],
  ] as const) {
    const other = await run(file, group, workers, env, chunking);
    expect(other.stdout, `${workers} workers, ${JSON.stringify(env)}`).toBe(base.stdout);
    expect(other.summary.recordsIn).toBe(base.summary.recordsIn);
  }
  return base.stdout;
}

describe('group-by from NDJSON columns', () => {
  it.each([
    ['origin: count, mean delay', '{ by: origin, aggregate: { flights: count, mean_delay: { mean: delay } } }'],
    [
      'destination: sum, min, max and mean',
      '{ by: destination, aggregate: { d: { sum: distance }, lo: { min: delay }, hi: { max: delay }, m: { mean: distance } } }',
    ],
    ['date: count, max delay', '{ by: date, aggregate: { n: count, hi: { max: delay } } }'],
  ])(
    'flights by %s: the same bytes with FLOW_NO_NDJSON_COLUMNS=1 and FLOW_NO_WASM=1 as without, on 1 and 2 workers',
    async (_, group) => {
      await sameBytes(ndjson, group);
    },
    180_000,
  );

  it('the gzipped flights by origin: the groups DuckDB computes, the same bytes either way', async () => {
    const out = await sameBytes(`${ndjson}.gz`, '{ by: origin, aggregate: { n: count, m: { mean: delay } } }');
    const rows = await query(`SELECT origin, count(*) AS n, avg(delay) AS m FROM read_json(${sqlString(ndjson)}) GROUP BY origin ORDER BY origin`);
    const groups = (JSON.parse(out) as Array<{ origin: string; n: number; m: number }>).sort((a, b) => (a.origin < b.origin ? -1 : 1));
    expect(groups.map((g) => `${g.origin} ${g.n} ${g.m.toFixed(9)}`)).toEqual(rows.map((r) => `${r.origin} ${r.n} ${(r.m as number).toFixed(9)}`));
  }, 180_000);

  it('mixed shapes, escapes, UTF-8, BigInts and blank lines: the same bytes as record by record', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const k = ['a"b', 'é', 'x\\y', 'plain'][i % 4]!;
      if (i % 5000 === 4999) lines.push('', '  ');
      // A stretch of another key order, and one of lines with a blank after the colon.
      if (i >= 8000 && i < 9000) lines.push(`{"v":${i % 13},"k":${JSON.stringify(k)}}`);
      else if (i >= 15000 && i < 15100) lines.push(`{"k": ${JSON.stringify(k)},"v":${i}}`);
      else lines.push(`{"k":${JSON.stringify(k)},"v":${i % 3 === 0 ? `${9007199254740993n + BigInt(i)}` : i / 8}}`);
    }
    const file = path.join(dir, 'mixed.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const group = '{ by: k, aggregate: { n: count, s: { sum: v }, hi: { max: v } } }';
    // Chunks of 16 KiB: most read as columns, those with another shape or blanks in a line record by record.
    const out = await sameBytes(file, group, 'chunking: { bytes: 16384 }\n');
    expect(JSON.parse(out)).toHaveLength(4);
  }, 120_000);

  it('a field no line has is warned about at the end of the run, as record by record', async () => {
    const group = '{ by: origin, aggregate: { m: { mean: delayy } } }';
    const on = await run(ndjson, group, 2, {});
    const off = await run(ndjson, group, 2, { FLOW_NO_NDJSON_COLUMNS: '1' });
    expect(on.stdout).toBe(off.stdout);
    expect(JSON.stringify(off.warnings)).toMatch(/delayy/);
    const messages = (warnings: Array<{ message: string; step: string }>) => warnings.map((w) => `${w.step}: ${w.message}`);
    expect(messages(on.warnings)).toEqual(messages(off.warnings));
  }, 120_000);

  it('data checks over the columns: the same verdict, counts and example lines as record by record', async () => {
    const checks = [
      'checks:',
      '  - rows: { min: 1000 }',
      '  - not-null: [origin, delay]',
      '  - values-in: { field: origin, values: [LAS, ATL, SEA] }',
      '    allow: "99%"',
      '  - where: "r.delay < 300"',
      '    allow: 10',
      '  - unique: [date, origin, destination]',
      '',
    ].join('\n');
    const pipeline = write(
      dir,
      'checks.yaml',
      `source: { step: file, with: { path: ${JSON.stringify(ndjson)} } }\n${checks}reduce: { step: group, with: { by: origin, aggregate: { n: count } } }\n`,
    );
    const runs = [];
    for (const env of [{}, { FLOW_NO_NDJSON_COLUMNS: '1' }]) {
      const report = `${pipeline}.${runs.length}.json`;
      const r = await runFlow(['run', pipeline, '--quiet', '--workers', '2', '--report', report], { env });
      runs.push({ ...r, report: JSON.parse(readFileSync(report, 'utf8')) });
    }
    const [on, off] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(off.code).toBe(3);
    expect(on.code).toBe(3);
    expect(on.stderr).toBe(off.stderr);
    expect(on.report.checks).toEqual(off.report.checks);
    expect(on.report.summary.execution.form).toBe('columns');
    // The where and unique checks fail, with examples at file:line.
    expect(off.stderr).toMatch(/flights-3m\.ndjson:\d+/);
  }, 180_000);
});
