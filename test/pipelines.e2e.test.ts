// Every example in pipelines/ runs through the real CLI, and its result is checked against an
// independent computation (DuckDB on the same file, or plain JavaScript).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from './helpers/cli.js';
import { query, sqlString, vegaData } from './helpers/duckdb.js';
import { parseCsv } from './helpers/csv.js';

const pipelines = path.join(root, 'pipelines');
const flights200k = path.join(vegaData, 'flights-200k.json');
const flights3m = path.join(root, '.cache/data/flights-3m.ndjson');

async function runJson(file: string, args: string[] = []): Promise<unknown> {
  const run = await runFlow(['run', path.join('pipelines', file), '--quiet', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

/** Relative closeness for means: flow's is correctly rounded, DuckDB's may differ in the last bits. */
function expectClose(actual: unknown, expected: unknown): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - (expected as number))).toBeLessThanOrEqual(Math.abs(expected as number) * 1e-12);
}

describe('example pipelines', () => {
  it('covers every file in pipelines/', () => {
    const tested = [
      'squares',
      'sum-of-squares',
      'random-mean',
      'flight-delays',
      'seattle-weather',
      'top-movies',
      'late-flights',
      'flights-by-origin',
      'plugin-steps',
    ];
    const present = readdirSync(pipelines)
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect(present.sort()).toEqual(tested.sort());
  });

  it('squares: pool.map(square, range(20))', async () => {
    expect(await runJson('squares.yaml')).toEqual(Array.from({ length: 20 }, (_, x) => x * x));
  });

  it('sum-of-squares: exact past 2^53, as Python prints it', async () => {
    const run = await runFlow(['run', 'pipelines/sum-of-squares.yaml', '--quiet']);
    let exact = 0n;
    for (let x = 0n; x < 1_000_000n; x++) exact += x * x;
    expect(run.stdout.trim()).toBe(exact.toString());
    expect(run.stdout.trim()).toBe('333332833333500000');
  });

  it('random-mean: the same digits for 1 and 2 workers and any chunking', async () => {
    const one = await runFlow(['run', 'pipelines/random-mean.yaml', '--quiet', '--workers', '1']);
    const two = await runFlow(['run', 'pipelines/random-mean.yaml', '--quiet', '--workers', '2']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    // The digits of the JS generator and sum before the WebAssembly kernels: the numbers did not change.
    expect(one.stdout.trim()).toBe('0.49996820015988286');
    const mean = JSON.parse(one.stdout) as number;
    // 10M uniform draws: the standard error is 0.29/sqrt(1e7) ~ 9e-5.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5e-4);
    // The reducer takes each chunk's numbers in bulk; one by one (through a map step) gives the same digits.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-random-mean-'));
    const oneByOne = readFileSync(path.join(pipelines, 'random-mean.yaml'), 'utf8').replace(
      'reduce: mean',
      'map:\n  - step: filter\n    with: { where: "true" }\nreduce: mean',
    );
    writeFileSync(path.join(dir, 'one-by-one.yaml'), oneByOne);
    const slow = await runFlow(['run', path.join(dir, 'one-by-one.yaml'), '--quiet']);
    expect(slow.code).toBe(0);
    expect(slow.stdout).toBe(one.stdout);
    const smaller = await runFlow(['run', 'pipelines/random-mean.yaml', '--quiet', '--set', 'count=1000']);
    expect(JSON.parse(smaller.stdout)).not.toBe(mean);
  });

  it('flight-delays: grouped by distance band, as DuckDB computes it', async () => {
    const result = (await runJson('flight-delays.yaml')) as Record<string, number>[];
    const expected = await query(`
      SELECT floor(distance / 500) * 500 AS band, count(*) AS late_flights, avg(delay) AS mean_delay, max(delay) AS worst_delay
      FROM read_json(${sqlString(flights200k)}) WHERE delay >= 15 GROUP BY band ORDER BY band`);
    expect(result.map((r) => [r.band, r.late_flights, r.worst_delay])).toEqual(expected.map((r) => [Number(r.band), r.late_flights, r.worst_delay]));
    result.forEach((r, i) => expectClose(r.mean_delay, expected[i]!.mean_delay));
  });

  it('seattle-weather: a CSV grouped by weather, written to a CSV file', async () => {
    const target = path.join(root, 'out/seattle-weather.csv');
    rmSync(target, { force: true });
    const run = await runFlow(['run', 'pipelines/seattle-weather.yaml', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const rows = parseCsv(readFileSync(target, 'utf8'));
    const expected = await query(`
      SELECT weather, count(*) AS days, avg(temp_max) AS mean_max_temp, max(precipitation) AS wettest_day_mm, sum(precipitation) AS total_rain_mm
      FROM read_csv(${sqlString(path.join(vegaData, 'seattle-weather.csv'))}) GROUP BY weather ORDER BY weather`);
    expect(rows.map((r) => r.weather)).toEqual(expected.map((r) => r.weather));
    rows.forEach((row, i) => {
      const want = expected[i]!;
      expect(Number(row.days)).toBe(want.days);
      expect(Number(row.wettest_day_mm)).toBe(want.wettest_day_mm);
      expectClose(Number(row.mean_max_temp), want.mean_max_temp);
      expect(Math.abs(Number(row.total_rain_mm) - (want.total_rain_mm as number))).toBeLessThan(1e-9);
    });
  });

  it('top-movies: the ten highest grossing films', async () => {
    const result = (await runJson('top-movies.yaml')) as Record<string, unknown>[];
    const expected = await query(`
      SELECT "Title", "Worldwide Gross" FROM read_json(${sqlString(path.join(vegaData, 'movies.json'))})
      WHERE "Worldwide Gross" IS NOT NULL ORDER BY "Worldwide Gross" DESC LIMIT 10`);
    // Some titles are numbers (e.g. 1776), so DuckDB types the column as JSON text.
    const title = (t: unknown) => JSON.parse(String(t)) as unknown;
    expect(result.map((r) => [r.Title, r['Worldwide Gross']])).toEqual(expected.map((r) => [title(r.Title), r['Worldwide Gross']]));
    expect(Object.keys(result[0]!)).toEqual(['Title', 'Worldwide Gross', 'Production Budget', 'Release Date']);
  });

  it('late-flights: map-only, streamed in source order to NDJSON', async () => {
    const target = path.join(root, 'out/late-flights.ndjson');
    rmSync(target, { force: true });
    const run = await runFlow(['run', 'pipelines/late-flights.yaml', '--quiet', '--workers', '2']);
    expect(run.code).toBe(0);
    const lines = readFileSync(target, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    const all = JSON.parse(readFileSync(flights200k, 'utf8')) as Record<string, number>[];
    const expected = all.filter((r) => r.delay! > 180).map((r) => ({ ...r, hours_late: Math.round(r.delay! / 6) / 10 }));
    expect(lines).toEqual(expected);
  });

  it('flights-by-origin: 3M flights grouped by origin agree with DuckDB on the same NDJSON', async () => {
    const result = (await runJson('flights-by-origin.yaml')) as Record<string, unknown>[];
    const expected = await query(`
      SELECT origin, count(*) AS flights, avg(delay) AS mean_delay FROM read_json(${sqlString(flights3m)})
      GROUP BY origin ORDER BY origin`);
    expect(result.length).toBe(expected.length);
    expect(result.map((r) => [r.origin, r.flights])).toEqual(expected.map((r) => [r.origin, r.flights]));
    result.forEach((r, i) => expectClose(r.mean_delay, expected[i]!.mean_delay));
  });

  it('plugin-steps: a local TypeScript step, an npm map step and an npm reducer on worker threads, as DuckDB counts', async () => {
    const csv = path.join(vegaData, 'seattle-weather.csv');
    const expected = await query(`
      SELECT floor(temp_max / 5) * 5 AS "from", count(*) AS count FROM read_csv(${sqlString(csv)})
      WHERE month(date) IN (6, 7, 8) GROUP BY 1 ORDER BY 1`);
    const want = expected.map((r) => ({ from: Number(r.from), to: Number(r.from) + 5, count: Number(r.count) }));
    // 8 chunks of 200 records: the package's reducer is merged across 3 workers.
    expect(await runJson('plugin-steps.yaml', ['--workers', '3'])).toEqual(want);
    const winter = await query(`SELECT count(*) AS n FROM read_csv(${sqlString(csv)}) WHERE month(date) IN (12, 1, 2)`);
    const winterBins = (await runJson('plugin-steps.yaml', ['--set', 'season=winter', '--workers', '1'])) as { count: number }[];
    expect(winterBins.reduce((n, b) => n + b.count, 0)).toBe(Number(winter[0]!.n));
  });
});
