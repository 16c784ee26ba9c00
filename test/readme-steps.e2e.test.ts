// The README's "Write your own steps" code is real: its step modules and their test type-check
// against flow's public types, and a pipeline using them runs through the CLI on worker threads.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from './helpers/cli.js';
import { vegaData } from './helpers/duckdb.js';

const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const dir = path.join(root, '.cache/readme-steps');
const blocks = [...readme.matchAll(/```ts\n\/\/ steps\/([\w.-]+)\n([\s\S]*?)```/g)].map((m) => ({ name: m[1]!, code: m[0].slice(6, -3) }));

describe('README: write your own steps', () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'steps'), { recursive: true });
  for (const b of blocks) writeFileSync(path.join(dir, 'steps', b.name), b.code);

  it('has the map step, the reducer and their test', () => {
    expect(blocks.map((b) => b.name)).toEqual(['hour-of.ts', 'distinct-count.ts', 'steps.test.ts']);
  });

  it('type-checks them strictly against the built package', () => {
    const files = blocks.map((b) => path.join(dir, 'steps', b.name));
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  }, 60_000);

  it('runs them from a pipeline on worker threads', async () => {
    const data = path.join(vegaData, 'flights-2k.json');
    writeFileSync(
      path.join(dir, 'pipeline.yaml'),
      `source: { step: file, with: { path: ${JSON.stringify(data)} } }\nchunking: { records: 300 }\nmap:\n  - step: ./steps/hour-of.ts\n    with: { field: date }\nreduce:\n  step: ./steps/distinct-count.ts\n  with: { field: hour }\n`,
    );
    const run = await runFlow(['run', path.join(dir, 'pipeline.yaml'), '--quiet', '--workers', '3']);
    expect(run.stderr).toBe('');
    const flights = JSON.parse(readFileSync(data, 'utf8')) as { date: string }[];
    expect(JSON.parse(run.stdout)).toBe(new Set(flights.map((f) => Number(f.date.slice(11, 13)))).size);
  });
});
