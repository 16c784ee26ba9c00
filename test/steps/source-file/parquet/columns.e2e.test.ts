// The columns fast path (FLOW_NO_COLUMNS) end to end: group-bys over the real 3M-row flights Parquet
// and over a DuckDB-written file with nulls, BigInts past 2^53 and timestamps give the same bytes
// from the columns as record by record, on 1 and on 2 workers, with the column loops in WebAssembly
// or in JS (FLOW_NO_WASM=1), and the report says which ran.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../helpers/cli.js';
import { query, sqlString, vegaData } from '../../../helpers/duckdb.js';
import { tempDir, write } from '../readers/helpers.js';

const dir = tempDir();
const flights = path.join(vegaData, 'flights-3m.parquet');

/** stdout of the group-by, and the form the report names, with the switch off (columns) or on (records); noWasm: the column loops in JS. */
async function run(file: string, group: string, workers: number, noColumns: boolean, noWasm = false) {
  const pipeline = write(
    dir,
    `p${Math.random().toString(36).slice(2)}.yaml`,
    `source: { step: file, with: { path: ${JSON.stringify(file)} } }\nreduce: { step: group, with: ${group} }\n`,
  );
  const report = `${pipeline}.report.json`;
  const result = await runFlow(['run', pipeline, '--quiet', '--workers', String(workers), '--report', report], {
    env: { FLOW_NO_COLUMNS: noColumns ? '1' : '', FLOW_NO_WASM: noWasm ? '1' : '' },
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { stdout: result.stdout, form: JSON.parse(readFileSync(report, 'utf8')).summary.execution.form as string };
}

async function sameBytes(file: string, group: string): Promise<string> {
  const runs = [];
  for (const workers of [1, 2]) for (const noColumns of [false, true]) runs.push({ workers, noColumns, ...(await run(file, group, workers, noColumns)) });
  // The columns with their loops in JS (FLOW_NO_WASM=1) rather than in WebAssembly.
  runs.push({ workers: 2, noColumns: false, ...(await run(file, group, 2, false, true)) });
  expect(runs.map((r) => r.form)).toEqual(['columns', 'records', 'columns', 'records', 'columns']);
  for (const [i, r] of runs.entries()) expect(r.stdout, `run ${i}: ${r.workers} workers, FLOW_NO_COLUMNS=${r.noColumns ? 1 : 0}`).toBe(runs[0]!.stdout);
  expect(runs[0]!.stdout.length).toBeGreaterThan(2);
  return runs[0]!.stdout;
}

describe('group-by from Parquet columns', () => {
  it.each([
    ['origin: count, mean delay', '{ by: origin, aggregate: { flights: count, mean_delay: { mean: delay } } }'],
    [
      'destination: sum, min, max and mean',
      '{ by: destination, aggregate: { d: { sum: distance }, lo: { min: delay }, hi: { max: delay }, m: { mean: distance } } }',
    ],
    ['delay (a number key): count, mean distance', '{ by: delay, aggregate: { n: count, m: { mean: distance } } }'],
    ['date (a timestamp as text): count, max delay', '{ by: date, aggregate: { n: count, hi: { max: delay } } }'],
  ])(
    'flights by %s: the same bytes with FLOW_NO_COLUMNS=1 as without, on 1 and 2 workers',
    async (_, group) => {
      await sameBytes(flights, group);
    },
    180_000,
  );

  it('nulls, BigInts past 2^53, NaN and timestamps in several row groups: the same bytes, and the values DuckDB gives', async () => {
    const file = path.join(dir, 'typed.parquet');
    await query(`COPY (
      SELECT CASE WHEN i % 7 = 0 THEN NULL ELSE 'k' || (i % 5) END AS k,
        CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 13) - 6 END::BIGINT AS v,
        CASE WHEN i % 3 = 0 THEN 9007199254740993 ELSE i END::BIGINT AS big,
        CASE WHEN i % 17 = 0 THEN 'NaN'::DOUBLE ELSE i / 8 END AS f,
        TIMESTAMP '2001-01-01 00:01:00' + (i % 4) * INTERVAL 1500 MICROSECOND AS ts
      FROM range(100000) t(i)) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 10000)`);
    const byK = await sameBytes(file, '{ by: k, aggregate: { n: count, s: { sum: v }, m: { mean: v }, b: { sum: big }, mb: { max: big }, f: { mean: f } } }');
    const expected = await query(
      `SELECT k, count(*) AS n, sum(v) AS s, sum(big)::HUGEINT AS b FROM read_parquet(${sqlString(file)}) GROUP BY k ORDER BY k NULLS LAST`,
    );
    const rows = JSON.parse(byK.replace(/:(\d{16,})/g, ':"$1"')) as Array<{ k: string | null; n: number; s: number; b: string | number; f: unknown }>;
    expect(rows.map((r) => [r.k, r.n, r.s, String(r.b)])).toEqual(expected.map((r) => [r.k, r.n, Number(r.s), String(r.b)]));
    expect(rows.every((r) => r.f === 'NaN' || r.f === null)).toBe(true);
    await sameBytes(file, '{ by: ts, aggregate: { n: count, lo: { min: big } } }');
  }, 180_000);
});
