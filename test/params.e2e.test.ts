// Params are values, not text (issue 10), through the real CLI: `params.NAME` in an expression is the
// param's typed value, a `${{ }}` placeholder in an expression goes in as a literal (so `--set` with
// quotes or operators changes no expression's meaning), in-process and on threads; an unknown param
// is a located error with a did-you-mean. `flow validate --offline` lints without env and data, the
// YAML indentation mistake is one error at the line to fix, and an aggregate typo gets a did-you-mean.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlow } from './helpers/cli.js';

const books = ['{"title":"Children\'s","n":1}', '{"title":"Adults","n":2}', '{"title":"1 || true","n":3}', '{"title":"x\\" || \\"","n":4}'].join('\n') + '\n';

function project(pipeline: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-params-'));
  writeFileSync(path.join(dir, 'books.ndjson'), books);
  writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline);
  return dir;
}

const titles = (stdout: string) => (JSON.parse(stdout) as { title: string }[]).map((r) => r.title);

/** In-process, and on two threads (the in-process path off). */
const modes = [
  { name: 'in-process', args: [] as string[], env: {} },
  { name: 'threads', args: ['--workers', '2'], env: { FLOW_NO_IN_PROCESS: '1' } },
];

describe.each(modes)('params as values ($name)', ({ args, env }) => {
  it('params.NAME is the typed value: --set title="Children\'s" works', async () => {
    const dir = project(
      'params:\n  title: Adults\n  min: 0\nsource: { step: file, with: { path: books.ndjson } }\nmap:\n  - step: filter\n    with: { where: "r.title == params.title && r.n > params.min" }\n',
    );
    const run = await runFlow(['run', 'pipeline.yaml', '-q', ...args, '--set', "title=Children's"], { cwd: dir, env });
    expect(run.stderr).toBe('');
    expect(titles(run.stdout)).toEqual(["Children's"]);
    const typed = await runFlow(['run', 'pipeline.yaml', '-q', ...args, '--set', 'title=Adults', '--set', 'min=2'], { cwd: dir, env });
    expect(titles(typed.stdout)).toEqual([]);
  });

  it('a placeholder in an expression is a literal: no value changes what the expression means', async () => {
    const dir = project(
      'params:\n  title: Adults\nsource: { step: file, with: { path: books.ndjson } }\nmap:\n  - step: filter\n    with: { where: "r.title == ${{ params.title }}" }\n  - step: set\n    with: { fields: { quoted: "\'${{ params.title }}\'" } }\n',
    );
    for (const [value, expected] of [
      ["Children's", ["Children's"]],
      ['1 || true', ['1 || true']],
      ['x" || "', ['x" || "']],
      ['Nobody', []],
    ] as const) {
      const run = await runFlow(['run', 'pipeline.yaml', '-q', ...args, '--set', `title=${value}`], { cwd: dir, env });
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(titles(run.stdout), value).toEqual(expected);
      // Inside a quoted string of the expression, the text is escaped for that quote.
      for (const r of JSON.parse(run.stdout) as { quoted: string }[]) expect(r.quoted).toBe(value);
    }
  });
});

describe('params errors', () => {
  it('an unknown params.X is exit 2 at its line:col with a did-you-mean, not the old r.params hint', async () => {
    const dir = project(
      'params:\n  min_delay: 1\nsource: { step: file, with: { path: books.ndjson } }\nmap:\n  - step: filter\n    with: { where: "r.n >= params.min_dealy" }\n',
    );
    const run = await runFlow(['run', 'pipeline.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('pipeline.yaml:6:28 error: map[0].with.where: no param named min_dealy');
    expect(run.stderr).toContain('hint: did you mean "params.min_delay"?');
    expect(run.stderr).not.toContain('r.params');
  });
});

describe('flow validate --offline', () => {
  const pipeline =
    'params:\n  dir: ${{ env.DATA_DIR }}\nsource: { step: file, with: { path: "${{ env.DATA_DIR }}/in.csv" } }\nmap:\n  - step: filter\n    with: { where: "r.delay > ${{ env.MIN_DELAY }}" }\nworkers: ${{ env.WORKERS }}\noutput: { step: file, with: { path: "${{ params.dir }}/out.csv" } }\n';

  it('checks a pipeline without its env variables and data files', async () => {
    const dir = project(pipeline);
    const online = await runFlow(['validate', 'pipeline.yaml'], { cwd: dir });
    expect(online.code).toBe(2);
    expect(online.stderr.match(/the environment variable \w+ is not set/g)).toHaveLength(4);
    const offline = await runFlow(['validate', '--offline', 'pipeline.yaml'], { cwd: dir });
    expect([offline.code, offline.stdout, offline.stderr]).toEqual([0, 'pipeline.yaml: ok\n', '']);
  });

  it('still checks everything else: an expression, a param, the schema', async () => {
    const dir = project(pipeline.replace('r.delay > ', 'r.delay >> params.nope + ').replace('workers:', 'wrokers:'));
    const run = await runFlow(['validate', '--offline', 'pipeline.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/pipeline\.yaml:6:\d+ error: map\[0\]\.with\.where: /);
    expect(run.stderr).toContain('unknown key `wrokers`');
  });
});

describe('validation messages', () => {
  it('a key indented deeper than `step:` is one error at the line to fix', async () => {
    const dir = project('source: { step: file, with: { path: books.ndjson } }\nmap:\n  - step: filter\n      with: { where: "r.n > 1" }\n');
    const run = await runFlow(['validate', 'pipeline.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.match(/ error: /g)).toHaveLength(1);
    expect(run.stderr).toContain('pipeline.yaml:4:7 error: `with:` is indented deeper than `step:` on the line above');
    expect(run.stderr).toContain('hint: indent `with:` like `step:` (4 spaces)');
  });

  it('an aggregate typo is a short message with a did-you-mean at the value', async () => {
    const dir = project('source: { step: file, with: { path: books.ndjson } }\nreduce:\n  step: group\n  with:\n    by: title\n    aggregate:\n      n: cnt\n');
    const run = await runFlow(['validate', 'pipeline.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pipeline.yaml:7:10 error: reduce.with.aggregate.n: unknown value "cnt"');
    expect(run.stderr).toContain('hint: did you mean `count`?');
  });
});
