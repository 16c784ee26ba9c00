// Data checks (`checks:`) through the real CLI: each kind passing and failing, allow as a count and a
// share, severity warn, exit 3 with nothing written (an older output and the dead-letter file kept as
// they were), the same verdict on one thread and on two with tiny chunks, and unique on the 3M-row
// flights file counted exactly (against DuckDB).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from './helpers/cli.js';
import { query, sqlString } from './helpers/duckdb.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Outcome {
  name: string;
  kind: string;
  severity: string;
  passed: boolean;
  checked: number;
  failing: number;
  allowed: number;
  examples: Array<{ file?: string; line?: number }>;
  message: string;
}

// 2,000 records: ids 0..1999 with 1000..1009 repeated at 1990..1999; weather from a fixed list but
// "hail" at every 500th; a null origin at lines 7 and 1207; delay over a day at every 400th.
const lines = Array.from({ length: 2000 }, (_, i) => {
  const id = i >= 1990 ? 1000 + (i - 1990) : i;
  const weather = i % 500 === 250 ? 'hail' : ['sun', 'rain', 'fog'][i % 3];
  const origin = i === 6 || i === 1206 ? null : ['SFO', 'LAX', 'OAK'][i % 3];
  const delay = i % 400 === 399 ? 2000 : i % 60;
  return JSON.stringify({ id, origin, delay, weather });
});
const data = `${lines.join('\n')}\n`;

function project(checks: string, extra = ''): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-checks-'));
  writeFileSync(path.join(dir, 'data.ndjson'), data);
  writeFileSync(
    path.join(dir, 'pipeline.yaml'),
    `source: { step: file, with: { path: data.ndjson } }\n${extra}checks:\n${checks}\nreduce:\n  step: group\n  with: { by: origin, aggregate: { n: count } }\noutput: { step: file, with: { path: out.json } }\n`,
  );
  return dir;
}

async function run(dir: string, args: string[] = []) {
  const result = await runFlow(['run', 'pipeline.yaml', '--quiet', '--report', 'report.json', ...args], { cwd: dir });
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { checks?: Outcome[] };
  return { ...result, checks: report.checks ?? [] };
}

describe('checks through the CLI', () => {
  it('passes every kind that holds, writes the output and reports the counts', async () => {
    const dir = project(
      [
        '  - rows: { min: 2000, max: 2000 }',
        '  - not-null: [id, delay]',
        '  - unique: [id, weather, delay]',
        '  - values-in: { field: weather, values: [sun, rain, fog, hail] }',
        '  - where: "r.delay >= 0"',
        '  - result: "result.length == 4"',
      ].join('\n'),
    );
    const r = await run(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'out.json'))).toBe(true);
    expect(r.checks.map((c) => [c.name, c.passed, c.checked, c.failing])).toEqual([
      ['rows 2000 to 2000', true, 2000, 0],
      ['not-null: id, delay', true, 2000, 0],
      ['unique: id, weather, delay', true, 2000, 0],
      ['values-in: weather', true, 2000, 0],
      ['where: r.delay >= 0', true, 2000, 0],
      ['result: result.length == 4', true, 1, 0],
    ]);
  });

  it.each([
    ['rows', '  - rows: { min: 2001 }', 3, 'check "rows at least 2001" failed: 2000 records reached reduce/output, fewer than 2001', 1, 2000],
    ['not-null', '  - not-null: origin', 3, 'failed: 2 of 2000 records fail (0 allowed); the first 2: data.ndjson:7, data.ndjson:1207', 2, 2000],
    [
      'unique',
      '  - unique: id',
      3,
      "failed: 10 of 2000 records repeat an earlier record's key (0 allowed); the first 5: data.ndjson:1991, data.ndjson:1992",
      10,
      2000,
    ],
    [
      'values-in',
      '  - values-in: { field: weather, values: [sun, rain, fog] }',
      3,
      'the first 4: data.ndjson:251, data.ndjson:751, data.ndjson:1251, data.ndjson:1751',
      4,
      2000,
    ],
    [
      'where',
      '  - where: "r.delay < 1440"\n    name: delays under a day',
      3,
      'check "delays under a day" failed: 5 of 2000 records fail (0 allowed); the first 5: data.ndjson:400,',
      5,
      2000,
    ],
    ['result', '  - result: "result.length > 4"', 3, 'check "result: result.length > 4" failed: false on the final result', 1, 1],
  ])(
    '%s: a failing check exits 3 at its line:col, with the counts and the records; the old output stays',
    async (_kind, check, line, says, failing, checked) => {
      const dir = project(check);
      writeFileSync(path.join(dir, 'out.json'), 'old\n');
      const r = await run(dir);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`pipeline.yaml:${line}:5 error: checks[0]: `);
      expect(r.stderr).toContain(says);
      expect(r.stdout).toBe('');
      expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('old\n');
      expect(r.checks[0]).toMatchObject({ passed: false, failing, checked, severity: 'error' });
    },
  );

  it('allow: a count or a share of the records checked', async () => {
    const within = await run(project('  - where: "r.delay < 1440"\n    allow: 5\n  - not-null: origin\n    allow: "0.1%"'));
    expect(within.code).toBe(0);
    expect(within.checks.map((c) => [c.passed, c.failing, c.allowed])).toEqual([
      [true, 5, 5],
      [true, 2, 2],
    ]);
    const beyond = await run(project('  - where: "r.delay < 1440"\n    allow: 4\n  - not-null: origin\n    allow: "0.05%"'));
    expect(beyond.code).toBe(3);
    expect(beyond.checks.map((c) => [c.passed, c.failing, c.allowed])).toEqual([
      [false, 5, 4],
      [false, 2, 1],
    ]);
    // Two failing checks: two errors, each at its check.
    expect(beyond.stderr.match(/^pipeline\.yaml:\d+:5 error: checks\[\d\]: check/gm)).toHaveLength(2);
  });

  it('severity warn prints a warning and the run succeeds, output written', async () => {
    const dir = project('  - not-null: origin\n    severity: warn');
    const r = await run(dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^pipeline\.yaml:3:5 warning: check "not-null: origin" failed: 2 of 2000 records fail/m);
    expect(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'))).toHaveLength(4);
    expect(r.checks[0]).toMatchObject({ passed: false, severity: 'warn', failing: 2 });
  });

  it('a field no record has, named by a check, is a warning naming the check (NDJSON cannot tell before the run)', async () => {
    const r = await run(project('  - unique: idd\n    severity: warn'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^pipeline\.yaml:3:13 warning: checks\[0\] \(unique\): no record has a field "idd"/m);
    expect(r.stderr).toContain('did you mean `id`?');
    // Every key misses its field: nothing checked, so the check itself passes.
    expect(r.checks[0]).toMatchObject({ passed: true, checked: 0 });
  });

  it('a map-only pipeline to stdout shows no record when a check fails, and every record when they pass', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-checks-'));
    writeFileSync(path.join(dir, 'data.ndjson'), data);
    const pipeline = (check: string) =>
      `source: { step: file, with: { path: data.ndjson } }\nchunking: { records: 100 }\nchecks:\n${check}\noutput: { step: stdout, with: { format: ndjson } }\n`;
    writeFileSync(path.join(dir, 'fails.yaml'), pipeline('  - not-null: origin'));
    writeFileSync(path.join(dir, 'passes.yaml'), pipeline('  - rows: { min: 2000, max: 2000 }'));
    const failed = await runFlow(['run', 'fails.yaml', '--quiet', '--workers', '2'], { cwd: dir });
    expect(failed.code).toBe(3);
    expect(failed.stdout).toBe('');
    const passed = await runFlow(['run', 'passes.yaml', '--quiet', '--workers', '2'], { cwd: dir });
    expect(passed.code).toBe(0);
    expect(passed.stdout).toBe(data);
    // The records waited in a temp file, which is gone.
    const spools = readdirSync(os.tmpdir()).filter((n) => n.startsWith('.flow-stdout.tmp-'));
    expect(spools.filter((n) => !isAlive(Number(n.split('-')[2])))).toEqual([]);
  });

  it('a failed check leaves the dead-letter file unwritten too', async () => {
    const dir = project('  - unique: id', 'on-error: { action: dead-letter, dead-letter: rejects.ndjson }\n');
    writeFileSync(path.join(dir, 'data.ndjson'), `${data}{oops\n`);
    const r = await run(dir);
    expect(r.code).toBe(3);
    expect(existsSync(path.join(dir, 'rejects.ndjson'))).toBe(false);
    expect(existsSync(path.join(dir, 'out.json'))).toBe(false);
  });

  it("unique's spill folder is gone after the run, and one a killed run left is removed", async () => {
    // A pid above Linux's pid_max: surely no live process.
    const stale = path.join(os.tmpdir(), 'flow-unique-4194999-stale');
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, '0-0.keys'), 'x');
    const before = new Set(readdirSync(os.tmpdir()).filter((n) => n.startsWith('flow-unique-')));
    const r = await run(project('  - unique: id\n    severity: warn'), ['--workers', '2']);
    expect(r.code).toBe(0);
    expect(existsSync(stale)).toBe(false);
    const left = readdirSync(os.tmpdir()).filter((n) => n.startsWith('flow-unique-') && !before.has(n));
    // Another test's run may be under way; none of this run's (its pid is gone) may remain.
    expect(left.filter((n) => !isAlive(Number(n.split('-')[2])))).toEqual([]);
  });

  it('gives the same verdict and counts on one thread and on two with tiny chunks', async () => {
    const checks = [
      '  - not-null: origin',
      '  - unique: id',
      '  - values-in: { field: weather, values: [sun, rain, fog] }',
      '  - where: "r.delay < 1440"',
      '  - rows: { max: 10 }',
    ]
      .map((c) => `${c}\n    severity: warn`)
      .join('\n');
    const one = await run(project(checks), ['--workers', '1']);
    const many = await run(project(checks, 'chunking: { bytes: 1KiB }\n'), ['--workers', '2']);
    expect(one.code).toBe(0);
    expect(many.code).toBe(0);
    const strip = (cs: Outcome[]) => cs.map(({ name, passed, checked, failing, allowed, examples }) => ({ name, passed, checked, failing, allowed, examples }));
    expect(strip(many.checks)).toEqual(strip(one.checks));
    expect(one.checks.map((c) => c.failing)).toEqual([2, 10, 4, 5, 1]);
  });
});

describe('unique on the 3M-row flights file', () => {
  const file = path.join(root, '.cache/data/flights-3m.ndjson');

  it.runIf(existsSync(file))('counts the records that repeat an earlier key exactly, as DuckDB does', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-checks-3m-'));
    writeFileSync(
      path.join(dir, 'pipeline.yaml'),
      [
        `source: { step: file, with: { path: ${JSON.stringify(file)} } }`,
        'checks:',
        '  - unique: [date, origin, destination]',
        '    severity: warn',
        '  - unique: [date, origin, destination, delay, distance]',
        '    severity: warn',
        'reduce:',
        '  step: group',
        '  with: { by: origin, aggregate: { flights: count } }',
        '',
      ].join('\n'),
    );
    const r = await runFlow(['run', 'pipeline.yaml', '--quiet', '--report', 'report.json'], { cwd: dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { checks: Outcome[] };
    const src = `read_json(${sqlString(file)})`;
    const [expected] = await query(
      `select count(*) - count(distinct (date, origin, destination)) as three, count(*) - count(distinct (date, origin, destination, delay, distance)) as five from ${src}`,
    );
    expect(report.checks.map((c) => c.failing)).toEqual([expected!.three, expected!.five]);
    expect(report.checks.every((c) => c.checked === 3_000_000)).toBe(true);
    // The first repeats, in file order, are records whose key an earlier line has.
    const [firstRepeat] = await query(
      `select min(n) as line from (select row_number() over (partition by date, origin, destination, delay, distance order by n) as k, n from (select *, row_number() over () as n from ${src})) where k > 1`,
    );
    expect(report.checks[1]!.examples[0]).toEqual({ file, line: firstRepeat!.line });
  });
});
