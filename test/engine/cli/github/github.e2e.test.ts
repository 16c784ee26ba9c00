// GITHUB_ACTIONS=true through the real CLI: annotations on stderr at the right place, the job summary
// appended to $GITHUB_STEP_SUMMARY; nothing of the sort outside Actions.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../helpers/cli.js';

function project(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-gha-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const summary = path.join(dir, 'summary.md');
  writeFileSync(summary, '# earlier steps\n');
  return { dir, summary, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: dir } };
}

const typo = 'name: hot\nsource:\n  step: file\n  with: { path: d.ndjson }\nmap:\n  - step: filter\n    with: { where: "r.tmep > 30" }\nreduce: count\n';
const data = '{"temp": 3, "city": "a"}\n{"temp": 40, "city": "b"}\n';
const commands = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('::'));

describe('GitHub Actions', () => {
  it('a warning is a ::warning at its line and column; the summary says ok, with counts, outputs and timing', async () => {
    const { dir, summary, env } = project({ 'pipelines.yaml': typo, 'd.ndjson': data });
    const run = await runFlow(['run', 'pipelines.yaml'], { cwd: dir, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('0\n');
    expect(commands(run.stderr)).toEqual([
      '::warning file=pipelines.yaml,line=7,col=23,title=UNKNOWN_FIELD::map[0] (filter): no record has a field "tmep" (map[0].with.where)%0Ahint: did you mean `temp`? (a field the records have)',
    ]);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier steps\n### ✅ flow run hot (pipelines.yaml): ok\n')).toBe(true);
    expect(md).toContain('| 2 | 0 | 0 | 1 | in-process | 0 |');
    expect(md).toContain('| output | stdout | json | 1 |  |');
    expect(md).toContain('- `UNKNOWN_FIELD` map[0] (filter): no record has a field "tmep"');
    expect(md).toMatch(/^Timing: validate \d+ ms, resolve \d+ ms, run \d+ ms, reduce \d+ ms, write \d+ ms; in all \d+ ms\.$/m);
  });

  it('a failed run: the error as ::error, the summary says failed with its exit code and the output not written', async () => {
    const { dir, summary, env } = project({
      'p.yaml': 'source:\n  step: file\n  with: { path: d.ndjson }\noutput:\n  step: file\n  with: { path: out/x.ndjson }\n',
      'd.ndjson': `${data}{oops\n`,
    });
    const run = await runFlow(['run', 'p.yaml'], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(commands(run.stderr)).toEqual([expect.stringMatching(/^::error title=RECORD_PARSE::source \(file\): invalid JSON: .* \(d\.ndjson:3\)%0Ahint: /)]);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('### ❌ flow run p.yaml: failed, exit 1');
    expect(md).toContain('| output | `out/x.ndjson` | ndjson | not written |  |');
    expect(md).toMatch(/^- `RECORD_PARSE` invalid JSON/m);
    expect(existsSync(path.join(dir, 'out/x.ndjson'))).toBe(false);
  });

  it('a failed error check is an ::error and a failed warn check a ::warning, each at its line; the summary has the checks table', async () => {
    const csv = `city,temp\n${['oslo,3', 'rome,40', 'lima,12', 'oslo,38'].join('\n')}\n`;
    const pipeline = `name: cities
source:
  step: file
  with: { path: d.csv }
checks:
  - where: "r.temp < 35"
    name: not too hot
    severity: warn
  - values-in: { field: city, values: [oslo, rome] }
reduce: count
`;
    const { dir, summary, env } = project({ 'p.yaml': pipeline, 'd.csv': csv });
    const run = await runFlow(['run', 'p.yaml'], { cwd: dir, env });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    const lines = commands(run.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^::error file=p\.yaml,line=9,col=5,title=CHECK_FAILED::checks\[1\]: check "values-in: city" failed: 1 of 4 records fails? .*d\.csv:4%0Ahint: /,
    );
    expect(lines[1]).toMatch(/^::warning file=p\.yaml,line=6,col=5,title=CHECK_FAILED::check "not too hot" failed: 2 of 4 records fail/);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('### ❌ flow run cities (p.yaml): failed, exit 3');
    expect(md).toContain('| not too hot | warn | ⚠️ failed | 2 / 4 | 0 |\n| values-in: city | error | ❌ failed | 1 / 4 | 0 |');
    expect(md).toMatch(/^- p\.yaml:9:5 `CHECK_FAILED` /m);
  });

  it('flow validate: every error at its place, paths relative to the workspace', async () => {
    const run = await runFlow(['validate', 'test/fixtures/undefined-param/pipeline.yaml'], { env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: '' } });
    expect(run.code).toBe(2);
    expect(commands(run.stderr)).toEqual([
      '::error file=test/fixtures/undefined-param/pipeline.yaml,line=5,col=17,title=UNDEFINED_PARAM::source.with.end: no param named limit%0Ahint: known params: min_delay',
      '::error file=test/fixtures/undefined-param/pipeline.yaml,line=8,col=26,title=UNDEFINED_PARAM::map[0].with.where: no param named min_dealy%0Ahint: did you mean `min_delay`?',
    ]);
  });

  it('outside GitHub Actions: no workflow commands, no summary', async () => {
    const { dir, summary } = project({ 'pipelines.yaml': typo, 'd.ndjson': data });
    const run = await runFlow(['run', 'pipelines.yaml'], { cwd: dir, env: { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: summary } });
    expect(run.code).toBe(0);
    expect(commands(run.stderr)).toEqual([]);
    expect(run.stderr).toContain('warning: map[0] (filter): no record has a field "tmep"');
    expect(readFileSync(summary, 'utf8')).toBe('# earlier steps\n');
  });
});
