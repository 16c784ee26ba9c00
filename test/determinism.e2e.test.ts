// Results do not depend on the machine: the same bytes for 1 or 2 workers and for different
// chunkings, on the 3-million-row flights data as NDJSON and as CSV, and equal to DuckDB's answer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runFlow } from './helpers/cli.js';
import { query, sqlString } from './helpers/duckdb.js';

const data = path.join(root, '.cache/data');
let dir: string;

function pipeline(name: string, file: string, chunking: string): string {
  const target = path.join(dir, `${name}.yaml`);
  writeFileSync(
    target,
    [
      'source:',
      '  step: file',
      `  with: { path: ${JSON.stringify(path.join(data, file))} }`,
      chunking ? `chunking: { bytes: ${chunking} }` : '',
      'map:',
      '  - step: filter',
      '    with: { where: "r.distance >= 300" }',
      'reduce:',
      '  step: group',
      '  with:',
      '    by: origin',
      '    aggregate:',
      '      flights: count',
      '      mean_delay: { mean: delay }',
      '      total_delay: { sum: delay }',
      '      longest: { max: distance }',
      '',
    ].join('\n'),
  );
  return target;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flow-determinism-'));
});

describe.each([
  ['NDJSON', 'flights-3m.ndjson', `read_json(${sqlString(path.join(root, '.cache/data/flights-3m.ndjson'))})`],
  ['CSV', 'flights-3m.csv', `read_csv(${sqlString(path.join(root, '.cache/data/flights-3m.csv'))})`],
])('group-by origin over 3M flights as %s', (_, file, table) => {
  let reference: string;

  it('agrees with DuckDB on the same file', async () => {
    const run = await runFlow(['run', pipeline(`${file}-default`, file, ''), '--quiet', '--workers', '2']);
    expect(run.code).toBe(0);
    reference = run.stdout;
    const rows = JSON.parse(run.stdout) as Record<string, number | string>[];
    const expected = await query(`
      SELECT origin, count(*) AS flights, avg(delay) AS mean_delay, sum(delay) AS total_delay, max(distance) AS longest
      FROM ${table} WHERE distance >= 300 GROUP BY origin ORDER BY origin`);
    expect(rows.map((r) => [r.origin, r.flights, r.total_delay, r.longest])).toEqual(expected.map((r) => [r.origin, r.flights, r.total_delay, r.longest]));
    rows.forEach((r, i) => {
      const want = expected[i]!.mean_delay as number;
      expect(Math.abs((r.mean_delay as number) - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-12);
    });
  });

  it.each([
    ['1 worker', '1', ''],
    ['2 workers, 1 MiB chunks', '2', '1MiB'],
    ['1 worker, 3 MiB chunks', '1', '3MiB'],
  ])('gives the same bytes with %s', async (label, workers, chunking) => {
    const run = await runFlow(['run', pipeline(`${file}-${label.replace(/\W+/g, '-')}`, file, chunking), '--quiet', '--workers', workers]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(reference);
  });
});
