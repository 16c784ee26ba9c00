// Parquet through the CLI: the real 3M-row flights file against DuckDB's read_parquet, the type
// mapping against DuckDB's own JSON export of a file DuckDB wrote, Parquet output read back by
// DuckDB, and records located by row in errors and dead letters.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../helpers/cli.js';
import { query, sqlString, vegaData } from '../../../helpers/duckdb.js';
import { tempDir, write } from '../readers/helpers.js';
import { counterFile } from './helpers.js';

const dir = tempDir();
const flights = path.join(vegaData, 'flights-3m.parquet');

function expectClose(actual: unknown, expected: unknown): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - (expected as number))).toBeLessThanOrEqual(Math.abs(expected as number) * 1e-12);
}

describe('Parquet input and output, end to end', () => {
  it('group-by origin over the 3M-row flights Parquet: DuckDB read_parquet answer, the same bytes for 1 and 2 workers', async () => {
    const pipeline = write(
      dir,
      'groupby.yaml',
      `source: { step: file, with: { path: ${JSON.stringify(flights)} } }\n` +
        'reduce: { step: group, with: { by: origin, aggregate: { flights: count, mean_delay: { mean: delay } } } }\n',
    );
    const [one, two] = await Promise.all([runFlow(['run', pipeline, '--quiet', '--workers', '1']), runFlow(['run', pipeline, '--quiet', '--workers', '2'])]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const result = JSON.parse(one.stdout) as Array<{ origin: string; flights: number; mean_delay: number }>;
    const expected = await query(
      `SELECT origin, count(*) AS flights, avg(delay) AS mean_delay FROM read_parquet(${sqlString(flights)}) GROUP BY origin ORDER BY origin`,
    );
    result.sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0));
    expect(result.map((r) => [r.origin, r.flights])).toEqual(expected.map((r) => [r.origin, r.flights]));
    result.forEach((r, i) => expectClose(r.mean_delay, expected[i]!.mean_delay));
  }, 120_000);

  it("reads every type as DuckDB's JSON export of the same file gives it", async () => {
    const file = path.join(dir, 'duck.parquet');
    const json = path.join(dir, 'duck.ndjson');
    await query(`COPY (
      SELECT i::INTEGER AS i32, (i * 1000000000000)::BIGINT AS i64, CASE WHEN i = 2 THEN 9007199254740993 END::BIGINT AS big,
        i / 8 AS f64, i % 2 = 0 AS b, 's' || i AS s, CASE WHEN i = 3 THEN NULL ELSE 'x' END AS maybe,
        TIMESTAMP '2001-01-01 00:01:00' + i * INTERVAL 1 HOUR + i * INTERVAL 1500 MICROSECOND AS ts,
        DATE '2001-01-01' + i::INTEGER AS d, (i * 1.25)::DECIMAL(9, 2) AS dec, i::SMALLINT AS small, (i * 0.5)::FLOAT AS f32,
        CASE WHEN i = 4 THEN NULL ELSE [i, i + 1] END AS list, {'a': i, 'b': 's' || i} AS st
      FROM range(6) t(i)) TO ${sqlString(file)} (FORMAT parquet)`);
    await query(`COPY (FROM read_parquet(${sqlString(file)})) TO ${sqlString(json)} (FORMAT json)`);
    const pipeline = write(dir, 'types.yaml', `source: { step: file, with: { path: duck.parquet } }\noutput: { step: file, with: { path: out.ndjson } }\n`);
    const run = await runFlow(['run', pipeline, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const ours = readFileSync(path.join(dir, 'out.ndjson'), 'utf8');
    // DuckDB prints 1.0 where JSON has 1: the values are compared, and the exact integer as text.
    const lines = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);
    expect(lines(ours)).toEqual(lines(readFileSync(json, 'utf8')));
    expect(lines(ours)).toHaveLength(6);
    expect(ours).toContain('"big":9007199254740993,');
    expect(ours.split('\n')[1]).toContain('"ts":"2001-01-01 01:01:00.0015"');
  }, 60_000);

  it('writes Parquet that DuckDB reads back: the flights rows of one origin, types inferred', async () => {
    const pipeline = write(
      dir,
      'to-parquet.yaml',
      `source: { step: file, with: { path: ${JSON.stringify(flights)} } }\n` +
        'map:\n  - step: filter\n    with: { where: "r.origin == \'SEA\'" }\n' +
        'output: { step: file, with: { path: out/sea.parquet } }\n',
    );
    const run = await runFlow(['run', pipeline, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = path.join(dir, 'out/sea.parquet');
    const types = await query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(out)}))`);
    expect(types).toEqual([
      { column_name: 'date', column_type: 'VARCHAR' },
      { column_name: 'delay', column_type: 'INTEGER' },
      { column_name: 'distance', column_type: 'INTEGER' },
      { column_name: 'origin', column_type: 'VARCHAR' },
      { column_name: 'destination', column_type: 'VARCHAR' },
    ]);
    const [written] = await query(
      `SELECT count(*) AS n, sum(delay) AS delay, sum(distance) AS distance, min(date) AS first, max(date) AS last FROM read_parquet(${sqlString(out)})`,
    );
    const [source] = await query(
      `SELECT count(*) AS n, sum(delay) AS delay, sum(distance) AS distance, strftime(min(date), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(date), '%Y-%m-%d %H:%M:%S') AS last
       FROM read_parquet(${sqlString(flights)}) WHERE origin = 'SEA'`,
    );
    expect(written).toEqual(source);
    expect(written!.n).toBeGreaterThan(10_000);
    // Row order is source order.
    const firstRows = await query(`SELECT date, delay FROM read_parquet(${sqlString(out)}) LIMIT 3`);
    const sourceRows = await query(
      `SELECT strftime(date, '%Y-%m-%d %H:%M:%S') AS date, delay FROM read_parquet(${sqlString(flights)}) WHERE origin = 'SEA' LIMIT 3`,
    );
    expect(firstRows).toEqual(sourceRows);
  }, 120_000);

  it('writes Parquet with flow run -o x.parquet', async () => {
    counterFile(dir, 'counter.parquet', 1000);
    const pipeline = write(
      dir,
      'plain.yaml',
      'source: { step: file, with: { path: counter.parquet } }\nmap:\n  - step: filter\n    with: { where: "r.n % 2 == 0" }\n',
    );
    const run = await runFlow(['run', pipeline, '--quiet', '-o', path.join(dir, 'out/even.parquet')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [got] = await query(`SELECT count(*) AS n, sum(n) AS total, min(tag) AS tag FROM read_parquet(${sqlString(path.join(dir, 'out/even.parquet'))})`);
    expect(got).toEqual({ n: 500, total: 249_500, tag: 't0' });
  }, 60_000);

  it('names a failing record by its row, in the error and in the dead letters', async () => {
    counterFile(dir, 'counter.parquet', 1000);
    const failing = write(
      dir,
      'fail.yaml',
      'source: { step: file, with: { path: counter.parquet } }\nchunking: { records: 300 }\n' +
        'map:\n  - step: transform\n    with: { expr: "r.n == 456 ? r.tag.x.y : r" }\n',
    );
    const run = await runFlow(['run', failing, '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('counter.parquet row 457');
    const tolerant = write(
      dir,
      'dead.yaml',
      'source: { step: file, with: { path: counter.parquet } }\nchunking: { records: 300 }\n' +
        'map:\n  - step: transform\n    with: { expr: "r.n % 400 == 399 ? r.tag.x.y : r" }\n' +
        'on-error: { action: dead-letter, dead-letter: out/rejects.ndjson }\noutput: { step: file, with: { path: out/ok.ndjson } }\n',
    );
    const dead = await runFlow(['run', tolerant, '--quiet']);
    expect(dead.code).toBe(0);
    const lines = readFileSync(path.join(dir, 'out/rejects.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: unknown; record: unknown });
    expect(lines.map((l) => l.source)).toEqual([
      { file: 'counter.parquet', row: 400 },
      { file: 'counter.parquet', row: 800 },
    ]);
    expect(lines.map((l) => l.record)).toEqual([
      { n: 399, tag: 't0' },
      { n: 799, tag: 't1' },
    ]);
  }, 60_000);

  it('names failing records by row in a data check', async () => {
    counterFile(dir, 'counter.parquet', 1000);
    const pipeline = write(
      dir,
      'check.yaml',
      'source: { step: file, with: { path: counter.parquet } }\nchunking: { records: 300 }\nchecks:\n  - where: "r.n < 998"\nreduce: { step: count }\n',
    );
    const run = await runFlow(['run', pipeline, '--quiet']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('counter.parquet row 999');
    expect(run.stderr).toContain('counter.parquet row 1000');
  }, 60_000);

  it('checks field names against the Parquet schema at validation (exit 2, did-you-mean)', async () => {
    const pipeline = write(
      dir,
      'typo.yaml',
      `source: { step: file, with: { path: ${JSON.stringify(flights)} } }\n` + 'reduce: { step: group, with: { by: orign, aggregate: { n: count } } }\n',
    );
    const run = await runFlow(['validate', pipeline]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('typo.yaml:2:36 error: reduce.with.by: no field "orign" in the records of the source');
    expect(run.stderr).toContain('hint: did you mean `origin`?');
  }, 60_000);
});
