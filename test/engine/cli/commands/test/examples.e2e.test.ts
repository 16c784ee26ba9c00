// The example pipelines' tests (pipelines/*.test.yaml) run through the real CLI, and their checked
// values on the real data agree with DuckDB on the same files.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../../helpers/cli.js';
import { query, sqlString, vegaData } from '../../../../helpers/duckdb.js';

const pipelines = path.join(root, 'pipelines');

interface TestFileYaml {
  pipeline: string;
  tests: { name: string; expect?: unknown }[];
}

function testFile(name: string): TestFileYaml {
  return parse(readFileSync(path.join(pipelines, name), 'utf8'), { intAsBigInt: false }) as TestFileYaml;
}

/** The expected value of the test about the whole data file. */
function wholeFile(name: string): Record<string, unknown>[] {
  const test = testFile(name).tests.find((t) => t.name.startsWith('the whole'));
  expect(test, `${name} has a test of the whole file`).toBeDefined();
  return test!.expect as Record<string, unknown>[];
}

/** flow's means are correctly rounded; DuckDB's may differ in the last bits. */
function close(actual: unknown, expected: unknown): boolean {
  return typeof actual === 'number' && Math.abs(actual - Number(expected)) <= Math.abs(Number(expected)) * 1e-12;
}

describe('pipelines/*.test.yaml', () => {
  it('every example pipeline has a test file beside it, naming it', () => {
    const names = readdirSync(pipelines);
    const yaml = names.filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
    expect(yaml.length).toBeGreaterThan(5);
    for (const file of yaml) {
      const test = file.replace(/\.yaml$/, '.test.yaml');
      expect(names, `${file} has ${test}`).toContain(test);
      expect(path.resolve(pipelines, testFile(test).pipeline)).toBe(path.join(pipelines, file));
    }
  });

  it('flow test pipelines: every test passes, in one chunk and in many on two threads', async () => {
    // pipelines/ci/ included (docs/ci.md).
    const files = readdirSync(pipelines, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.yaml'));
    expect(files).toContain(path.join('ci', 'weather-by-month.test.yaml'));
    const count = files.reduce((n, f) => n + testFile(f).tests.length, 0);
    const run = await runFlow(['test', 'pipelines']);
    expect(run.stderr).toBe('');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`${count} passed, 0 failed`);
    expect(run.stdout).not.toContain('✗');
    expect(run.code).toBe(0);
    // One line per test, under its file.
    for (const file of files) expect(run.stdout).toContain(`pipelines/${file}\n`);
    expect(run.stdout.match(/^ {2}✓ .+ \(\d+ ms\)$/gm)).toHaveLength(count);
  });
});

/** pipelines/flight-delays.yaml in a temp folder (its data path made absolute) with a test file beside it. */
function besideFlightDelays(testYaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-doc-test-'));
  mkdirSync(path.join(dir, 'pipelines'));
  const pipeline = readFileSync(path.join(pipelines, 'flight-delays.yaml'), 'utf8').replace('../node_modules/', `${path.join(root, 'node_modules')}/`);
  writeFileSync(path.join(dir, 'pipelines/flight-delays.yaml'), pipeline);
  writeFileSync(path.join(dir, 'pipelines/flight-delays.test.yaml'), testYaml);
  return dir;
}

describe('the documented test files run as written', () => {
  it("the README's example passes, and with a wrong value prints the README's diff", async () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Pipeline tests'));
    const example = /```yaml\n(pipeline: [\s\S]*?)```/.exec(section)![1]!;
    const dir = besideFlightDelays(example);
    const run = await runFlow(['test', 'pipelines'], { cwd: dir });
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
    writeFileSync(path.join(dir, 'pipelines/flight-delays.test.yaml'), example.replace('mean_delay: 45', 'mean_delay: 40'));
    const wrong = await runFlow(['test', 'pipelines'], { cwd: dir });
    expect(wrong.code).toBe(1);
    const shown = /```\n\$ flow test pipelines\n([\s\S]*?)```/.exec(section)![1]!;
    const times = (text: string) => text.replace(/\(\d+ ms\)/g, '(N ms)');
    expect(times(wrong.stdout)).toBe(times(shown));
  });
});

describe('the tests of whole data files agree with DuckDB', () => {
  it('seattle-weather', async () => {
    const want = await query(`
      SELECT weather, count(*) AS days, avg(temp_max) AS mean_max_temp, max(precipitation) AS wettest_day_mm, sum(precipitation) AS total_rain_mm
      FROM read_csv(${sqlString(path.join(vegaData, 'seattle-weather.csv'))}) GROUP BY weather ORDER BY weather`);
    const got = wholeFile('seattle-weather.test.yaml');
    expect(got.map((r) => [r.weather, r.days, r.wettest_day_mm])).toEqual(want.map((r) => [r.weather, r.days, r.wettest_day_mm]));
    got.forEach((r, i) => {
      expect(close(r.mean_max_temp, want[i]!.mean_max_temp)).toBe(true);
      expect(Math.abs(Number(r.total_rain_mm) - Number(want[i]!.total_rain_mm))).toBeLessThan(1e-9);
    });
  });

  it('flight-delays', async () => {
    const want = await query(`
      SELECT floor(distance / 500) * 500 AS band, count(*) AS late_flights, avg(delay) AS mean_delay, max(delay) AS worst_delay
      FROM read_json(${sqlString(path.join(vegaData, 'flights-200k.json'))}) WHERE delay >= 15 GROUP BY band ORDER BY band`);
    const got = wholeFile('flight-delays.test.yaml');
    expect(got.map((r) => [r.band, r.late_flights, r.worst_delay])).toEqual(want.map((r) => [Number(r.band), r.late_flights, r.worst_delay]));
    got.forEach((r, i) => expect(close(r.mean_delay, want[i]!.mean_delay)).toBe(true));
  });

  it('top-movies', async () => {
    const want = await query(`
      SELECT "Title", "Worldwide Gross", "Production Budget", "Release Date" FROM read_json(${sqlString(path.join(vegaData, 'movies.json'))})
      WHERE "Worldwide Gross" IS NOT NULL ORDER BY "Worldwide Gross" DESC LIMIT 10`);
    // Some titles are numbers (e.g. 1776), so DuckDB types the column as JSON text.
    const title = (t: unknown) => JSON.parse(String(t)) as unknown;
    const got = wholeFile('top-movies.test.yaml');
    expect(got.map((r) => [r.Title, r['Worldwide Gross'], r['Production Budget'], r['Release Date']])).toEqual(
      want.map((r) => [title(r.Title), r['Worldwide Gross'], r['Production Budget'], r['Release Date']]),
    );
  });

  it('plugin-steps', async () => {
    const want = await query(`
      SELECT floor(temp_max / 5) * 5 AS "from", count(*) AS count FROM read_csv(${sqlString(path.join(vegaData, 'seattle-weather.csv'))})
      WHERE month(date) IN (6, 7, 8) GROUP BY 1 ORDER BY 1`);
    expect(wholeFile('plugin-steps.test.yaml')).toEqual(want.map((r) => ({ from: Number(r.from), to: Number(r.from) + 5, count: Number(r.count) })));
  });
});
