// The CLI as users run it: a child process of the built binary.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowBin, root, runFlow } from '../../helpers/cli.js';

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };

describe('flow (the command line)', () => {
  it('--version and --help', async () => {
    expect(await runFlow(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = await runFlow(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('flow run PIPELINE');
    expect(help.stdout).toContain('Exit codes');
  });

  it('flow --help lists every command and its options; flow COMMAND --help shows that command only', async () => {
    const help = await runFlow(['--help']);
    for (const line of [
      'flow run PIPELINE',
      'flow validate PIPELINE... [--offline]',
      'flow test [PATH...]',
      'flow schema [--report]',
      'flow steps',
      'flow init',
    ]) {
      expect(help.stdout).toContain(line);
    }
    expect(help.stdout).toMatch(/^ {2}--output, -o PATH/m);
    expect(help.stdout).toContain('3 the run completed but a data check failed');
    const run = await runFlow(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: flow run PIPELINE/);
    expect(run.stdout).toContain('--report FILE');
    expect(run.stdout).not.toContain('flow validate');
    const steps = await runFlow(['steps', '-h']);
    expect(steps.stdout).toMatch(/^Usage: flow steps \[NAME\]/);
    expect(steps.stdout).not.toContain('--workers');
  });

  it('-q is accepted by every command', async () => {
    expect(await runFlow(['validate', '-q', 'pipelines/squares.yaml'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect((await runFlow(['steps', '-q', 'filter'])).stdout).toContain('filter (map)');
    expect((await runFlow(['schema', '--quiet'])).code).toBe(0);
    expect(await runFlow(['run', '-q', 'pipelines/sum-of-squares.yaml', '--set', 'n=4'])).toMatchObject({ code: 0, stdout: '14\n', stderr: '' });
  });

  it('no command: usage on stderr, exit 2', async () => {
    const run = await runFlow([]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('Usage:');
  });

  it.each([
    [['fly', 'x.yaml'], 'error: unknown command "fly"'],
    [['run', 'pipelines/squares.yaml', '--wrkers', '2'], 'error: unknown option --wrkers for flow run\n  hint: did you mean --workers?'],
    [['run', 'pipelines/squares.yaml', '--worker', '2'], 'error: unknown option --worker for flow run\n  hint: did you mean --workers?'],
    [
      ['validate', 'pipelines/squares.yaml', '--report', 'r.json'],
      'error: unknown option --report for flow validate\n  hint: --report is an option of flow run, flow schema',
    ],
    [['run', 'pipelines/squares.yaml', '--workers'], 'error: --workers needs a value'],
    [['run', 'pipelines/squares.yaml', '--quiet=yes'], 'error: --quiet takes no value'],
    [['run', 'pipelines/squares.yaml', '-o', 'out.txt'], 'error: -o out.txt: cannot tell the output format from the extension ".txt"'],
    [['rnu', 'x.yaml'], 'hint: did you mean "run"?'],
    [['run', 'pipelines/squares.yaml', '--workers', '0'], 'error: --workers 0: expected a positive integer'],
    [['run', 'pipelines/squares.yaml', '--set', 'oops'], 'error: --set oops: expected NAME=VALUE'],
    [['run'], 'error: flow run takes one pipeline file, got 0'],
  ])('bad command line %j: exit 2, no stack', async (args, message) => {
    const run = await runFlow(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('validate: every example pipeline is ok', async () => {
    const files = ['squares', 'sum-of-squares', 'random-mean', 'flight-delays', 'seattle-weather', 'top-movies', 'late-flights'].map(
      (n) => `pipelines/${n}.yaml`,
    );
    const run = await runFlow(['validate', ...files]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(files.map((f) => `${f}: ok\n`).join(''));
  });

  it('validate: all errors of a file at once, compiler style, exit 2', async () => {
    const run = await runFlow(['validate', 'test/fixtures/undefined-param/pipeline.yaml', 'pipelines/squares.yaml']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('pipelines/squares.yaml: ok\n');
    expect(run.stderr).toBe(
      [
        'test/fixtures/undefined-param/pipeline.yaml:5:17 error: source.with.end: no param named limit',
        '    5 |   with: { end: "${{ params.limit }}" }',
        '      |                 ^^^^^^^^^^^^^^^^^^^',
        '  hint: known params: min_delay',
        '',
        'test/fixtures/undefined-param/pipeline.yaml:8:26 error: map[0].with.where: no param named min_dealy',
        '    8 |     with: { where: "r >= ${{ params.min_dealy }}" }',
        '      |                          ^^^^^^^^^^^^^^^^^^^^^^^',
        '  hint: did you mean `min_delay`?',
        '',
      ].join('\n'),
    );
  });

  it('schema prints the committed schemas/pipeline.schema.json', async () => {
    const run = await runFlow(['schema']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(root, 'schemas/pipeline.schema.json'), 'utf8'));
  });

  it('steps lists every built-in step; steps NAME shows its options and examples', async () => {
    const list = await runFlow(['steps']);
    expect(list.code).toBe(0);
    for (const name of [
      'file',
      'range',
      'random',
      'filter',
      'transform',
      'set',
      'select',
      'flat-map',
      'count',
      'sum',
      'mean',
      'min',
      'max',
      'collect',
      'group',
      'top',
      'stdout',
    ]) {
      expect(list.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
    const filter = await runFlow(['steps', 'filter']);
    expect(filter.stdout).toContain('filter (map)');
    expect(filter.stdout).toMatch(/where +\(string, required\)/);
    const unknown = await runFlow(['steps', 'fliter']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "filter"?');
  });

  it('--set overrides a param, typed like YAML', async () => {
    const run = await runFlow(['run', 'pipelines/sum-of-squares.yaml', '--quiet', '--set', 'n=10']);
    expect(run).toMatchObject({ code: 0, stdout: '285\n', stderr: '' });
  });

  it('plain progress lines go to stderr, the result alone to stdout', async () => {
    const run = await runFlow(['run', 'pipelines/squares.yaml']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(20);
    expect(run.stderr).toMatch(/^\[flow\] validate: done in \d+ ms$/m);
    expect(run.stderr).toMatch(/^\[flow\] run: done in \d+ ms/m);
  });

  it('--report writes a JSON account of a successful run', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-report-'));
    const report = path.join(dir, 'report.json');
    const run = await runFlow(['run', 'pipelines/sum-of-squares.yaml', '--quiet', '--report', report, '--workers', '2']);
    expect(run.code).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({
      schemaVersion: 1,
      pipeline: { path: 'pipelines/sum-of-squares.yaml', name: 'sum-of-squares' },
      status: 'ok',
      exitCode: 0,
      summary: { name: 'sum-of-squares', recordsIn: 1_000_000, recordsOut: 1_000_000 },
    });
  });

  it("dates without a zone read as UTC, whatever the machine's zone, unless TZ is set", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-tz-'));
    writeFileSync(
      path.join(dir, 'pipeline.yaml'),
      'source:\n  step: range\n  with: { end: 1 }\nmap:\n  - step: transform\n    with: { expr: "Date.parse(\'2001-01-01 00:00\')" }\nreduce: collect\n',
    );
    const { TZ: _, ...env } = process.env;
    const run = (extra: NodeJS.ProcessEnv) =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [flowBin, 'run', 'pipeline.yaml', '--quiet'], { cwd: dir, env: { ...env, ...extra } });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.on('close', () => resolve(out));
      });
    expect(JSON.parse(await run({}))).toEqual([Date.UTC(2001, 0, 1)]);
    expect(JSON.parse(await run({ TZ: 'America/New_York' }))).toEqual([Date.UTC(2001, 0, 1, 5)]);
  });

  it('SIGINT stops a run: exit 130, no output file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-sigint-'));
    writeFileSync(
      path.join(dir, 'pipeline.yaml'),
      'source:\n  step: random\n  with: { count: 2000000000 }\nchunking: { records: 1000000 }\noutput:\n  step: file\n  with: { path: out/numbers.ndjson }\n',
    );
    const child = spawn(process.execPath, [flowBin, 'run', 'pipeline.yaml'], { cwd: dir, env: { ...process.env, CI: 'true' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Interrupt once the run is under way (the first chunk is done).
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (/run: \d+/.test(stderr) || /chunks/.test(stderr) || existsSync(path.join(dir, 'out'))) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    const out = path.join(dir, 'out');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
