// The programmatic API, as an embedding tool uses it: `flow`'s built package imported by a script in
// its own process, given a pipeline file or object; stdout shows whether an output step ran.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';

const plugins = path.join(root, 'test/fixtures/plugins');
/** What `import 'flow-pipelines'` loads: the package's export (the library bundle). */
const libraryEntry = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> }).exports['.']!
  .default;

/** Runs `runPipeline(pipeline, options)` in a child process; the script prints the outcome as JSON on stderr. */
function embed(pipeline: unknown, options: Record<string, unknown>): Promise<{ stdout: string; outcome: Record<string, any> }> {
  const script = `
    const { runPipeline } = await import(${JSON.stringify(pathToFileURL(path.join(root, libraryEntry)).href)});
    const [pipeline, options] = JSON.parse(process.argv[1]);
    const outcome = await runPipeline(pipeline, options).then(
      ({ result, summary }) => ({ result, summary }),
      (e) => ({ error: e.errors ? e.errors.map((x) => x.toJSON()) : e.toJSON ? [e.toJSON()] : [String(e.stack)] }),
    );
    process.stderr.write(JSON.stringify(outcome));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([pipeline, options])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve({ stdout, outcome: JSON.parse(stderr) as Record<string, any> });
      } catch {
        reject(new Error(stderr));
      }
    });
  });
}

describe('runPipeline with a pipeline object', () => {
  it('resolves relative paths against cwd and writes nothing when the object has no output', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-api-'));
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data/v.ndjson'), Array.from({ length: 100 }, (_, i) => JSON.stringify({ v: i, odd: i % 2 === 1 })).join('\n'));
    const pipeline = {
      source: { step: 'file', with: { path: 'data/v.ndjson' } },
      map: [{ step: 'filter', with: { where: 'r.odd' } }],
      reduce: { step: 'sum', with: { field: 'v' } },
    };
    const { stdout, outcome } = await embed(pipeline, { cwd: dir, workers: 2 });
    expect(stdout).toBe('');
    expect(outcome.result).toBe(2500);
    expect(outcome.summary).toMatchObject({ recordsIn: 100, recordsOut: 50 });
  });

  it('returns a map-only pipeline’s records in source order, across workers and chunks', async () => {
    const pipeline = { source: { step: 'range', with: { end: 1000 } }, chunking: { records: 64 }, map: [{ step: 'transform', with: { expr: 'r * 3' } }] };
    const { stdout, outcome } = await embed(pipeline, { workers: 3 });
    expect(stdout).toBe('');
    expect(outcome.result).toEqual(Array.from({ length: 1000 }, (_, i) => i * 3));
    expect(outcome.summary.chunks).toBe(16);
  });

  it('interpolates params and --set values, and runs local and npm plugin steps found from cwd', async () => {
    const pipeline = {
      params: { n: 5 },
      source: { step: 'range', with: { end: '${{ params.n }}' } },
      map: [{ step: './steps/double.mjs' }, { step: 'flow-steps-multi/double' }],
      reduce: 'flow-steps-multi/total',
    };
    const { outcome } = await embed(pipeline, { cwd: plugins, set: { n: '7' } });
    expect(outcome.result).toBe(2 * (0 + 1 + 2 + 3 + 4 + 5 + 6));
  });

  it('reports validation errors with their paths and no file location', async () => {
    const pipeline = { source: { step: 'range', with: { ende: 5 } }, map: [{ step: 'filter', with: { where: 'r >' } }], reduce: 'sum' };
    const { outcome } = await embed(pipeline, {});
    expect(outcome.error).toEqual([
      { code: 'UNKNOWN_KEY', message: 'unknown key `ende`', path: 'source.with.ende', hint: 'did you mean `end`?' },
      expect.objectContaining({ code: 'EXPR_SYNTAX', path: 'map[0].with.where' }),
    ]);
    expect(outcome.error.some((e: { location?: unknown }) => e.location)).toBe(false);
    const unset = await embed({ source: { step: 'range', with: { end: '${{ params.n }}' } } }, {});
    expect(unset.outcome.error).toEqual([expect.objectContaining({ code: 'UNDEFINED_PARAM', path: 'source.with.end' })]);
    expect(unset.outcome.error[0].location).toBeUndefined();
  });

  it('runs the output step the object names, relative to cwd', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-api-'));
    const pipeline = { source: { step: 'range', with: { end: 4 } }, reduce: 'collect', output: { step: 'file', with: { path: 'out/r.json' } } };
    const { stdout, outcome } = await embed(pipeline, { cwd: dir });
    expect(stdout).toBe('');
    expect(outcome.result).toEqual([0, 1, 2, 3]);
    expect(JSON.parse(readFileSync(path.join(dir, 'out/r.json'), 'utf8'))).toEqual([0, 1, 2, 3]);
  });
});

describe('runPipeline with a file', () => {
  it('writes to the pipeline’s output by default, and only returns the result with output: false', async () => {
    const squares = Array.from({ length: 20 }, (_, x) => x * x);
    const written = await embed('pipelines/squares.yaml', { cwd: root });
    expect(JSON.parse(written.stdout)).toEqual(squares);
    expect(written.outcome.result).toEqual(squares);
    const quiet = await embed(path.join(root, 'pipelines/squares.yaml'), { output: false });
    expect(quiet.stdout).toBe('');
    expect(quiet.outcome.result).toEqual(squares);
  });
});
