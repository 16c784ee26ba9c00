// PIPELINE.md (the user contract; it lives outside the repository) runs as written: each example is a
// fixture under test/fixtures/pipeline-md/<section>/, its YAML byte for byte as PIPELINE.md has it
// (comments included), run through the real CLI as the example is meant to be used. Where flow does
// not do what PIPELINE.md says, the test asserts what it does and says so: the third test of "Pipeline
// tests", the step in a chunk's failure past its attempts, the `evall` error's column.
// Not repeated here: --report's fields and schema (commands/report/report.e2e), GitHub Actions
// annotations and job summary (cli/github/github.e2e), `flow validate --offline` and placeholders as
// literals (params.e2e), exit 130 (cli.e2e, run-signals.e2e), `flow test --junit/--update` and the two
// runs of every test (commands/test/command.e2e), one verdict for any chunking (checks.e2e), "Running on
// many machines" (commands/worker.e2e: every example pipeline through `flow worker`, the same bytes).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runFlow } from './helpers/cli.js';
import { parseCsv } from './helpers/csv.js';
import { query, sqlString } from './helpers/duckdb.js';

const fixtures = path.join(root, 'test/fixtures/pipeline-md');
const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The folder `section` of a fresh copy of the fixtures, under .cache: inside the package, so the plugins' `flow-pipelines` import resolves. */
function copy(section: string): string {
  mkdirSync(path.join(root, '.cache'), { recursive: true });
  const dir = mkdtempSync(path.join(root, '.cache', 'pipeline-md-'));
  copies.push(dir);
  cpSync(fixtures, dir, { recursive: true });
  return path.join(dir, section);
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const report = (dir: string, file = 'report.json') => JSON.parse(read(dir, file)) as Record<string, any>;
/** Errors a user caused never show a stack. */
const noStack = (stderr: string) => expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

/** What DuckDB makes of the Shape pipeline's group over the same file. */
async function delaysByOrigin(minDelay: number) {
  const file = path.join(fixtures, 'shape/data/flights.ndjson');
  return query(`SELECT origin, count(*) AS flights, avg(delay) AS avg_delay FROM read_json(${sqlString(file)})
    WHERE delay >= ${minDelay} GROUP BY origin ORDER BY origin`);
}

function expectSameGroups(actual: Record<string, unknown>[], want: Record<string, unknown>[]) {
  expect(actual.map((r) => [r.origin, Number(r.flights)])).toEqual(want.map((r) => [r.origin, r.flights]));
  actual.forEach((r, i) => expect(Number(r.avg_delay)).toBeCloseTo(Number(want[i]!.avg_delay), 10));
}

// shape/data/flights.ndjson: every 15,000th line of the real 3M flights (.cache/data/flights-3m.ndjson),
// 200 records; steps/add-hour.ts is the local plugin the example names.
describe('Shape', () => {
  it('runs as written: the plugin on the filtered records, the group written as CSV, as DuckDB computes it', async () => {
    const dir = copy('shape');
    const run = await runFlow(['run', 'pipeline.yaml', '--report', 'report.json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('pipeline.yaml: done in ');
    const want = await delaysByOrigin(15);
    expect(want.length).toBeGreaterThan(20);
    expect(read(dir, 'out/delays.csv').split('\n')[0]).toBe('origin,flights,avg_delay');
    expectSameGroups(parseCsv(read(dir, 'out/delays.csv')), want);
    const late = want.reduce((n, r) => n + Number(r.flights), 0);
    expect(report(dir)).toMatchObject({
      pipeline: { path: 'pipeline.yaml', name: 'flight-delays' },
      params: { min_delay: 15 },
      steps: [
        { step: 'source', name: 'file', recordsOut: 200 },
        { step: 'map[0]', name: 'filter', recordsIn: 200, recordsOut: late },
        { step: 'map[1]', name: './steps/add-hour.ts', recordsIn: late, recordsOut: late },
        { step: 'reduce', name: 'group', recordsIn: late },
      ],
    });
  });

  it('`--set min_delay=30` overrides the param, as its comment says; `--workers N` overrides `workers: auto`, the same bytes', async () => {
    const dir = copy('shape');
    const run = await runFlow(['run', 'pipeline.yaml', '--set', 'min_delay=30', '-q'], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const one = read(dir, 'out/delays.csv');
    expectSameGroups(parseCsv(one), await delaysByOrigin(30));
    // In chunks of 20 records, on one thread and on two (`workers: auto` is 2 or more on 2 cores or more).
    writeFileSync(path.join(dir, 'pipeline.yaml'), read(dir, 'pipeline.yaml').replace('records: 20000', 'records: 20'));
    for (const workers of [1, 2]) {
      const args = ['run', 'pipeline.yaml', '--set', 'min_delay=30', '--workers', String(workers), '-q', '--report', 'report.json'];
      const small = await runFlow(args, { cwd: dir });
      expect([small.code, small.stderr]).toEqual([0, '']);
      expect(read(dir, 'out/delays.csv')).toBe(one);
      const { workers: used, summary } = report(dir);
      expect([used, summary.chunks > 5]).toEqual([workers, true]);
    }
  });

  it('the plugin is a real step: a record without a date fails the run at its line, exit 1, nothing written', async () => {
    const dir = copy('shape');
    writeFileSync(path.join(dir, 'data/flights.ndjson'), `${read(dir, 'data/flights.ndjson')}{"delay": 99, "origin": "SEA"}\n`);
    const run = await runFlow(['run', 'pipeline.yaml', '-q'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: map[1] (./steps/add-hour.ts): add-hour: field "date" is undefined, not a "YYYY-MM-DD hh:mm:ss" date\n  at data/flights.ndjson:201\n',
    );
    expect(existsSync(path.join(dir, 'out/delays.csv'))).toBe(false);
  });
});

describe('When records or workers fail', () => {
  // The rejected lines of data/x.ndjson (see the fixture's pipeline.yaml).
  const thrown = (line: number) => ({
    source: { file: 'data/x.ndjson', line },
    step: 'map[1]',
    code: 'STEP_FAILED',
    message: 'r.delay.toFixed is not a function',
    record: { id: line, delay: 'n/a' },
  });
  const unread = (line: number) => ({
    source: { file: 'data/x.ndjson', line },
    step: 'source',
    code: 'RECORD_PARSE',
    message: "invalid JSON: Expected ',' or '}' after property value at column 10",
    raw: `{"id":${line}`.slice(0, 9),
  });
  const rejects = [thrown(225), unread(350), thrown(675), unread(700), unread(1050), thrown(1125), thrown(1457)];

  it('as written: 7 bad records dead-lettered in source order, under the budget; a worker that died twice retried', async () => {
    const dir = copy('when-records-fail');
    const run = await runFlow(['run', 'pipeline.yaml', '--report', 'report.json'], { cwd: dir });
    expect(run.code).toBe(0);
    // Counted in the progress line.
    expect(run.stderr).toMatch(/^\[flow\] run: done in .*1\.5k records, 7 rejected/m);
    // Byte for byte, in the key order PIPELINE.md shows.
    expect(read(dir, 'out/rejects.ndjson')).toBe(rejects.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const bad = new Set(rejects.map((r) => r.source.line));
    const kept = read(dir, 'data/x.ndjson')
      .trimEnd()
      .split('\n')
      .filter((_, i) => !bad.has(i + 1));
    expect(read(dir, 'out/delays.ndjson')).toBe(`${kept.join('\n')}\n`);
    expect(readdirSync(path.join(dir, 'markers')).sort()).toEqual(['exit-1', 'exit-2']);
    expect(report(dir)).toMatchObject({
      status: 'ok',
      summary: { recordsIn: 1500, recordsOut: 1493, rejected: 7, retried: 2 },
      steps: [
        { step: 'source', recordsOut: 1497, rejected: 3 },
        { step: 'map[0]', recordsIn: 1497, recordsOut: 1497 },
        { step: 'map[1]', recordsIn: 1497, recordsOut: 1493, rejected: 4 },
      ],
    });

    // A retried chunk gives exactly what a first attempt would have.
    const clean = copy('when-records-fail');
    expect((await runFlow(['run', 'pipeline.yaml', '-q', '--set', 'crash_times=0'], { cwd: clean })).code).toBe(0);
    expect(existsSync(path.join(clean, 'markers'))).toBe(false);
    expect(read(clean, 'out/delays.ndjson')).toBe(read(dir, 'out/delays.ndjson'));
    expect(read(clean, 'out/rejects.ndjson')).toBe(read(dir, 'out/rejects.ndjson'));
  });

  it('past its 3 attempts: exit 1 naming the chunk, its first record and the cause; nothing written', async () => {
    const dir = copy('when-records-fail');
    const run = await runFlow(['run', 'pipeline.yaml', '-q', '--set', 'crash_times=3'], { cwd: dir });
    expect(run.code).toBe(1);
    // As PIPELINE.md says: the chunk, its first record's file:line, each attempt's cause, and the step.
    expect(run.stderr).toBe(
      [
        'error: map[0] (./steps/exit-on.ts): chunk 0 (records from data/x.ndjson:1 on) failed all 3 attempts, each time: its worker thread died in the step: worker exited with code: 3',
        '  at data/x.ndjson:1',
        '  hint: a step called process.exit, ran out of memory or crashed its thread on these records (retries.attempts sets how often a chunk is tried)',
        '',
      ].join('\n'),
    );
    expect(readdirSync(path.join(dir, 'markers'))).toHaveLength(3);
    expect(existsSync(path.join(dir, 'out/delays.ndjson')) || existsSync(path.join(dir, 'out/rejects.ndjson'))).toBe(false);
  });

  it('past the budget (max: 100): exit 1 naming the first rejected record; nothing written', async () => {
    const dir = copy('when-records-fail');
    const run = await runFlow(['run', 'pipeline.yaml', '-q', '--set', 'data=data/over-budget.ndjson', '--set', 'crash_times=0'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: 101 records rejected, more than on-error.max allows (100); the first: data/over-budget.ndjson:1 (source): invalid JSON: ',
    );
    noStack(run.stderr);
    expect(existsSync(path.join(dir, 'out/delays.ndjson')) || existsSync(path.join(dir, 'out/rejects.ndjson'))).toBe(false);
  });
});

describe('Data checks', () => {
  // The check's line in the fixture's pipeline.yaml, from its first line (`  - rows: ...`).
  const first = 22;

  it('every check holds on data/flights.csv, the warn one within its allowance (1 of 1229): exit 0, written', async () => {
    const dir = copy('data-checks');
    const run = await runFlow(['run', 'pipeline.yaml', '-q', '--report', 'report.json'], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(read(dir, 'out/by-origin.json'))).toHaveLength(229);
    const checks = report(dir).checks as Record<string, unknown>[];
    expect(checks.map((c) => [c.name, c.kind, c.severity, c.passed, c.checked, c.failing, c.allowed, (c.location as { line: number }).line])).toEqual([
      ['rows 1000 to 5000000', 'rows', 'error', true, 1229, 0, 0, first],
      ['not-null: origin, delay', 'not-null', 'error', true, 1229, 0, 0, first + 1],
      ['unique: id', 'unique', 'error', true, 1229, 0, 0, first + 2],
      ['values-in: weather', 'values-in', 'error', true, 1229, 0, 0, first + 3],
      ['delays under a day', 'where', 'warn', true, 1229, 1, 1, first + 4],
      ['result: result.length >= 200', 'result', 'error', true, 1, 0, 0, first + 8],
    ]);
  });

  it('every check fails on data/bad.csv: exit 3, each error at its line:col with its counts and record, the warning, the output kept', async () => {
    const dir = copy('data-checks');
    expect((await runFlow(['run', 'pipeline.yaml', '-q'], { cwd: dir })).code).toBe(0);
    const before = read(dir, 'out/by-origin.json');
    const run = await runFlow(['run', 'pipeline.yaml', '-q', '--set', 'data=data/bad.csv', '--report', 'report.json'], { cwd: dir });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    const heads = run.stderr.split('\n').filter((line) => line.startsWith('pipeline.yaml:'));
    expect(heads).toEqual([
      `pipeline.yaml:${first + 4}:5 warning: check "delays under a day" failed: 1 of 40 records fails (0 allowed); the record: data/bad.csv:20`,
      `pipeline.yaml:${first}:5 error: checks[0]: check "rows 1000 to 5000000" failed: 40 records reached reduce/output, fewer than 1000`,
      `pipeline.yaml:${first + 1}:5 error: checks[1]: check "not-null: origin, delay" failed: 1 of 40 records fails (0 allowed); the record: data/bad.csv:5`,
      `pipeline.yaml:${first + 2}:5 error: checks[2]: check "unique: id" failed: 1 of 40 records repeats an earlier record's key (0 allowed); the record: data/bad.csv:8`,
      `pipeline.yaml:${first + 3}:5 error: checks[3]: check "values-in: weather" failed: 1 of 40 records fails (0 allowed); the record: data/bad.csv:12`,
      `pipeline.yaml:${first + 8}:5 error: checks[5]: check "result: result.length >= 200" failed: false on the final result`,
    ]);
    expect(run.stderr).toContain(`   ${first + 1} |   - not-null: [origin, delay]\n      |     ^^^^^^^^\n`);
    noStack(run.stderr);
    // An existing output file is kept as it was.
    expect(read(dir, 'out/by-origin.json')).toBe(before);
    expect(report(dir)).toMatchObject({ status: 'failed', exitCode: 3, outputs: [{ path: 'out/by-origin.json', written: false }] });
  });
});

describe('Pipeline tests', () => {
  /** The fixture's test file beside a copy of pipelines/flight-delays.yaml (its source is replaced by each test's input). */
  function beside(extra = ''): string {
    const dir = copy('pipeline-tests');
    renameSync(path.join(dir, 'flight-delays-tests.yaml'), path.join(dir, 'flight-delays.test.yaml'));
    writeFileSync(path.join(dir, 'flight-delays.yaml'), read(path.join(root, 'pipelines'), 'flight-delays.yaml') + extra);
    return dir;
  }
  const times = (text: string) => text.replace(/\(\d+ ms\)/g, '(N ms)');

  it('`flow test` as written: the first two pass; `checks fail on nulls` fails, flight-delays.yaml having no checks', async () => {
    const run = await runFlow(['test'], { cwd: beside() });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(times(run.stdout)).toBe(
      [
        'flight-delays.test.yaml',
        '  ✓ late flights by band (N ms)',
        '  ✓ a bad line is named (N ms)',
        '  ✗ checks fail on nulls (N ms)',
        '      the failed checks differ from expect-checks:',
        '      expected to fail: not-null',
        '      failed:           none (the run reported no checks)',
        '2 passed, 1 failed',
        '',
      ].join('\n'),
    );
  });

  it('with a not-null check added, it still fails: the filter drops the null-delay record before the checks see it', async () => {
    const checks = 'checks:\n  - not-null: [delay]\n';
    const dir = beside(checks);
    const run = await runFlow(['test'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  ✗ checks fail on nulls (');
    expect(run.stdout).toContain('      expected to fail: not-null\n      failed:           none\n');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 1 failed');
    // The same record through `flow run`: the filter lets nothing through, and the check passes on no records.
    writeFileSync(path.join(dir, 'nulls.ndjson'), '{"delay": null, "distance": 1}\n');
    const pipeline = read(dir, 'flight-delays.yaml').replace(/path: .*flights-200k\.json/, 'path: nulls.ndjson');
    writeFileSync(path.join(dir, 'flight-delays.yaml'), pipeline);
    const flow = await runFlow(['run', 'flight-delays.yaml', '-q', '--report', 'report.json'], { cwd: dir });
    expect([flow.code, flow.stdout, flow.stderr]).toEqual([0, '[]\n', '']);
    expect(report(dir)).toMatchObject({
      steps: [{ step: 'source', recordsOut: 1 }, { step: 'map[0]', recordsIn: 1, recordsOut: 0 }, { step: 'map[1]', recordsIn: 0 }, { step: 'reduce' }],
      checks: [{ kind: 'not-null', passed: true, checked: 0, failing: 0 }],
    });
  });
});

describe('Params are values, not text', () => {
  it('`where: "r.delay >= params.min_delay"` gives what the placeholder form of Shape gives', async () => {
    const dir = copy('params');
    for (const set of [[], ['--set', 'min_delay=30']]) {
      const run = await runFlow(['run', 'delays.yaml', '-q', ...set], { cwd: dir });
      expect([run.code, run.stderr]).toEqual([0, '']);
      expectSameGroups(JSON.parse(run.stdout) as Record<string, unknown>[], await delaysByOrigin(set.length ? 30 : 15));
    }
  });

  it('`where: "r.title == params.title"` works for --set title="Children\'s"; a whole-value placeholder keeps its type', async () => {
    const dir = copy('params');
    const run = await runFlow(['run', 'books.yaml', '-q', '--set', "title=Children's", '--report', 'report.json'], { cwd: dir });
    expect([run.code, run.stderr]).toEqual([0, '']);
    // The output's path is text made with the placeholder; chunking.records took the number 1.
    expect(read(dir, 'out/shelf-2.ndjson')).toBe('{"title":"Children\'s","shelf":2}\n{"title":"Children\'s","shelf":4}\n');
    expect(report(dir)).toMatchObject({ params: { title: "Children's", shelf: 2, records: 1 }, summary: { chunks: 4 } });
  });
});

describe('Command line', () => {
  it('`flow validate PIPELINE...`: every example above is ok, exit 0', async () => {
    const dir = copy('.');
    const files = ['shape/pipeline.yaml', 'when-records-fail/pipeline.yaml', 'data-checks/pipeline.yaml', 'params/delays.yaml', 'params/books.yaml'];
    const run = await runFlow(['validate', ...files], { cwd: dir });
    expect([run.code, run.stdout, run.stderr]).toEqual([0, files.map((f) => `${f}: ok\n`).join(''), '']);
  });

  it("a user's error reads like a compiler's, exit 2, no stack: PIPELINE.md's `evall` example, located at the name", async () => {
    const run = await runFlow(['validate', 'pipelines/delays.yaml'], { cwd: copy('command-line') });
    expect(run.code).toBe(2);
    // PIPELINE.md shows 14:19 and one caret under the opening quote; flow points at `evall` (14:21)
    // and adds a hint (see the fixture).
    expect(run.stderr).toBe(
      [
        'pipelines/delays.yaml:14:21 error: map[0].with.where: unknown function "evall"',
        '   14 |     with: { where: "evall(r.delay)" }',
        '      |                     ^^^^^',
        '  hint: allowed: Number, String, Boolean, parseInt, parseFloat, isNaN, isFinite, encodeURIComponent, decodeURIComponent, Number.*, String.*, Date.*, JSON.*, Object.*, Array.*, Math.*',
        '',
      ].join('\n'),
    );
  });
});
