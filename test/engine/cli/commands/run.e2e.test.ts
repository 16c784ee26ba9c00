// flow run's own options through the CLI: -o/--output and the closing "wrote N records to PATH" line.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../helpers/cli.js';

const mapOnly =
  'source:\n  step: range\n  with: { end: 4 }\nmap:\n  - step: transform\n    with: { expr: "({ n: r, sq: r * r })" }\noutput:\n  step: file\n  with: { path: out/squares.ndjson }\n';

function project(pipeline: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-run-o-'));
  writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline);
  return dir;
}

describe('flow run -o/--output', () => {
  it("writes PATH (relative to the cwd) instead of the pipeline's output, its format from the extension", async () => {
    const dir = project(mapOnly);
    const run = await runFlow(['run', 'pipeline.yaml', '-o', 'elsewhere/sq.csv'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(dir, 'elsewhere/sq.csv'), 'utf8')).toBe('n,sq\n0,0\n1,1\n2,4\n3,9\n');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    expect(run.stderr).toMatch(/^\[flow\] pipeline\.yaml: done in \d+ ms, wrote 4 records to elsewhere\/sq\.csv$/m);
  });

  it("--output - writes to stdout, in the pipeline's output format; the last line says so", async () => {
    const dir = project(mapOnly);
    const run = await runFlow(['run', 'pipeline.yaml', '--output', '-'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{"n":0,"sq":0}\n{"n":1,"sq":1}\n{"n":2,"sq":4}\n{"n":3,"sq":9}\n');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    expect(run.stderr).toMatch(/wrote 4 records to stdout$/m);
  });

  it("without -o the last line names the pipeline's output; a single value is 'the result'", async () => {
    const dir = project(mapOnly);
    const run = await runFlow(['run', 'pipeline.yaml'], { cwd: dir });
    expect(run.stderr).toMatch(/wrote 4 records to out\/squares\.ndjson$/m);
    expect(readFileSync(path.join(dir, 'out/squares.ndjson'), 'utf8')).toBe('{"n":0,"sq":0}\n{"n":1,"sq":1}\n{"n":2,"sq":4}\n{"n":3,"sq":9}\n');
    const sum = await runFlow(['run', 'pipelines/sum-of-squares.yaml', '--set', 'n=3']);
    expect(sum.stdout).toBe('5\n');
    expect(sum.stderr).toMatch(/done in \d+ ms, wrote the result to stdout$/m);
  });

  it('an extension that names no format is refused before anything runs (exit 2)', async () => {
    const dir = project(mapOnly);
    const run = await runFlow(['run', 'pipeline.yaml', '-o', 'out.xlsx'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: -o out.xlsx: cannot tell the output format from the extension ".xlsx"');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
