// docs/ci.md is true: its GitHub Actions job's `run:` steps run as written with the built flow, on
// the real files of pipelines/ci/, and the excerpts it shows are those files' text.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../../helpers/cli.js';
import { parseXml } from './xml.js';

const doc = readFileSync(path.join(root, 'docs/ci.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

const workflow = parse(blocks[0]!) as { on: unknown; jobs: Record<string, { 'runs-on': string; steps: Step[] }> };
const steps = Object.values(workflow.jobs)[0]!.steps;

/** Every *.test.yaml under a folder. */
function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? testFiles(full) : name.endsWith('.test.yaml') ? [full] : [];
  });
}

describe('docs/ci.md', () => {
  it('is a complete job: checkout, Node 20, npm ci, the flow steps, the report uploaded whatever happened', () => {
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm ci',
      'npx flow validate --offline pipelines/ci/weather-by-month.yaml',
      'npx flow test pipelines --junit reports/flow-test.xml',
      'npx flow run pipelines/ci/weather-by-month.yaml --report reports/weather-by-month.json',
      'actions/upload-artifact@v4',
    ]);
    expect(steps[1]!.with).toMatchObject({ 'node-version': 20 });
    expect(steps[6]).toMatchObject({ if: 'always()', with: { path: 'reports/' } });
  });

  it("runs the job's flow steps as written: all exit 0, the tests pass, the report has every check passed", async () => {
    const reports = mkdtempSync(path.join(os.tmpdir(), 'flow-ci-doc-'));
    const summary = path.join(reports, 'summary.md');
    const out = path.join(root, 'out/weather-by-month.csv');
    rmSync(out, { force: true });
    const results = [];
    for (const step of steps.filter((s) => s.run?.startsWith('npx flow '))) {
      const args = step
        .run!.replace(/^npx flow /, '')
        .split(' ')
        .map((arg) => arg.replace(/^reports\//, `${reports}/`));
      results.push(await runFlow(args, { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } }));
    }
    const [validate, test, run] = results;
    expect(validate).toMatchObject({ code: 0, stdout: 'pipelines/ci/weather-by-month.yaml: ok\n' });
    const count = testFiles(path.join(root, 'pipelines')).reduce((n, f) => n + (parse(readFileSync(f, 'utf8')) as { tests: unknown[] }).tests.length, 0);
    expect(test!.stdout).toContain('pipelines/ci/weather-by-month.test.yaml\n');
    expect(test!.stdout.trimEnd().split('\n').at(-1)).toBe(`${count} passed, 0 failed`);
    expect(test!.code).toBe(0);
    const junit = parseXml(readFileSync(path.join(reports, 'flow-test.xml'), 'utf8'));
    expect(junit.attrs).toMatchObject({ tests: String(count), failures: '0', errors: '0' });
    expect(run!.code).toBe(0);
    expect(run!.stderr).not.toContain('::error');
    const report = JSON.parse(readFileSync(path.join(reports, 'weather-by-month.json'), 'utf8')) as {
      schemaVersion: number;
      checks: { name: string; passed: boolean }[];
    };
    expect(report.schemaVersion).toBe(1);
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([
      ['rows at least 1000', true],
      ['not-null: date, precipitation, temp_max, temp_min, weather', true],
      ['unique: date', true],
      ['values-in: weather', true],
      ['low below high', true],
      ['plausible rain', true],
      ['every month', true],
    ]);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 2)).toEqual(['month,days,rain_mm,mean_high,lowest', '2012-01,31,173.3,7.054838709677419,-3.3']);
    expect(existsSync(summary)).toBe(true);
  });

  it('the same job fails at the run step when an error check fails: exit 3, an annotation, the report written, no output', async () => {
    const reports = mkdtempSync(path.join(os.tmpdir(), 'flow-ci-doc-'));
    const out = path.join(root, 'out/weather-by-month.csv');
    rmSync(out, { force: true });
    const report = path.join(reports, 'weather-by-month.json');
    const run = await runFlow(['run', 'pipelines/ci/weather-by-month.yaml', '--report', report, '--set', 'min_days=5000'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^::error file=pipelines\/ci\/weather-by-month\.yaml,line=19,col=5.*rows at least 5000/m);
    const written = JSON.parse(readFileSync(report, 'utf8')) as { checks: { name: string; passed: boolean }[] };
    expect(written.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual(['rows at least 5000']);
    expect(existsSync(out)).toBe(false);
  });

  it('shows the real test file and checks', () => {
    const testFile = readFileSync(path.join(root, 'pipelines/ci/weather-by-month.test.yaml'), 'utf8');
    const pipeline = readFileSync(path.join(root, 'pipelines/ci/weather-by-month.yaml'), 'utf8');
    const excerpt = blocks.find((b) => b.startsWith('pipeline: ./weather-by-month.yaml'))!;
    const [head, tail] = excerpt.split('    ...\n');
    expect(testFile).toContain(head);
    expect(testFile.trimEnd().endsWith(tail!.trimEnd())).toBe(true);
    expect(pipeline).toContain(blocks.find((b) => b.startsWith('checks:'))!);
  });
});
