// A tiny job of built-in steps runs in-process; anything with a plugin, or more than one small
// chunk, runs on worker threads. The result is the same either way.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bulkInlineLimit } from '../../../engine/planning/schedule.js';
import { runFlow } from '../../helpers/cli.js';

async function run(pipeline: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-inline-'));
  writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const result = await runFlow(['run', 'pipeline.yaml', '--quiet', '--report', 'report.json'], { cwd: dir });
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
    summary: { workers: number | 'in-process'; chunks: number; execution: { reasons: string[] } };
  };
  return { ...result, workers: report.summary.workers, chunks: report.summary.chunks, reasons: report.summary.execution.reasons };
}

const squares = (end: number) => `source:\n  step: range\n  with: { end: ${end} }\nmap:\n  - step: transform\n    with: { expr: "r * r" }\nreduce: sum\n`;

describe('where chunks run', () => {
  it('a tiny built-in job runs in-process', async () => {
    const { code, stdout, workers } = await run(squares(100));
    expect(code).toBe(0);
    expect(stdout).toBe('328350\n');
    expect(workers).toBe('in-process');
  });

  it('an empty source starts no thread at all', async () => {
    const { code, stdout, workers } = await run(squares(0));
    expect(code).toBe(0);
    expect(stdout).toBe('0\n');
    expect(workers).toBe('in-process');
  });

  it('a job of several chunks of records runs on worker threads', async () => {
    const objects =
      'source:\n  step: range\n  with: { end: 100 }\nmap:\n  - step: transform\n    with: { expr: "({ n: r * r })" }\nreduce: { step: sum, with: { field: n } }\nchunking: { records: 10 }\n';
    const { stdout, workers } = await run(objects);
    expect(stdout).toBe('328350\n');
    expect(workers).toBeGreaterThanOrEqual(1);
  });

  it('numbers that go through every step in bulk run in-process up to a few million, whatever the chunking', async () => {
    const { stdout, workers } = await run(`${squares(1_000_000)}chunking: { records: 50000 }\n`);
    expect(stdout).toBe('333332833333500000\n');
    expect(workers).toBe('in-process');
  });

  it('more numbers than that go to worker threads', async () => {
    const { stdout, workers } = await run(`${squares(20_000_000)}workers: 2\n`);
    expect(stdout).toBe(`${(19_999_999n * 20_000_000n * 39_999_999n) / 6n}\n`);
    expect(workers).toBe(2);
  });

  it('with one worker, numbers in bulk never start a thread', async () => {
    const { stdout, workers } = await run(`${squares(20_000_000)}workers: 1\n`);
    expect(stdout).toBe(`${(19_999_999n * 20_000_000n * 39_999_999n) / 6n}\n`);
    expect(workers).toBe('in-process');
  });

  it('the in-process limit for numbers in bulk shrinks toward 8M as workers grow', () => {
    expect(bulkInlineLimit(1)).toBe(Infinity);
    expect(bulkInlineLimit(2)).toBe(16_000_000);
    expect(bulkInlineLimit(16)).toBeCloseTo(8_533_333, 0);
  });

  it('a map without a bulk form sends numbers to worker threads past one chunk', async () => {
    const { stdout, workers } = await run(
      'source:\n  step: range\n  with: { end: 1000 }\nmap:\n  - step: flat-map\n    with: { expr: "[r, r]" }\nreduce: sum\nchunking: { records: 100 }\n',
    );
    expect(stdout).toBe('999000\n');
    expect(workers).toBeGreaterThanOrEqual(1);
  });

  it('in-process, a job runs in slices a signal can come between, whatever its chunking: 64Ki numbers, 1000 records', async () => {
    const numbers = await run(`${squares(1_000_000)}chunking: { records: 1000000 }\n`);
    expect(numbers.stdout).toBe('333332833333500000\n');
    expect([numbers.workers, numbers.chunks]).toEqual(['in-process', Math.ceil(1_000_000 / 65_536)]);
    const objects =
      'source:\n  step: range\n  with: { end: 5000 }\nmap:\n  - step: transform\n    with: { expr: "({ n: r })" }\nreduce: { step: sum, with: { field: n } }\nchunking: { records: 100000 }\n';
    const records = await run(objects);
    expect(records.stdout).toBe('12497500\n');
    expect([records.workers, records.chunks]).toEqual(['in-process', 5]);
    expect(records.reasons).toContain('in-process: one chunk of 5000 records');
  });

  it('an expression that builds strings or arrays sends even a tiny job to threads, where a signal ends it at once', async () => {
    const heavy =
      'source:\n  step: range\n  with: { end: 10 }\nmap:\n  - step: transform\n    with: { expr: "({ n: r })" }\n  - step: set\n    with: { fields: { s: "\'x\'.repeat(r.n).length" } }\nreduce: { step: sum, with: { field: s } }\n';
    const { stdout, workers, reasons } = await run(heavy);
    expect(stdout).toBe('45\n');
    expect(workers).toBe(1);
    expect(reasons).toContain('threads: map[1] may build large strings or arrays');
  });

  it('a plugin always runs on a worker thread, however small the job', async () => {
    const plugin = "export default { kind: 'map', name: 'double', summary: 'x2', options: { type: 'object' }, map: (r) => r * 2 };\n";
    const { stdout, workers } = await run('source:\n  step: range\n  with: { end: 10 }\nmap:\n  - step: ./double.mjs\nreduce: sum\n', {
      'double.mjs': plugin,
      'package.json': '{}',
    });
    expect(stdout).toBe('90\n');
    expect(workers).toBe(1);
  });
});
