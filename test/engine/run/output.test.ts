// Opening the output step and handing it the records or the reduce result.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../engine/contract/errors.js';
import { memorySink, openOutput, outputTarget, redirectOutput, writeResult } from '../../../engine/run/output.js';
import type { Plan, ResolvedStep } from '../../../engine/contract/plan.js';
import { builtinModule } from '../../../steps/registry.js';
import type { OutputContext, OutputSink, OutputStep } from '../../../engine/contract/step.js';
import fileOutput from '../../../steps/output-file.js';

const resolved = (name: string, options: Record<string, unknown> = {}): ResolvedStep => ({
  kind: 'output',
  name,
  module: `builtin:${name}`,
  options,
  path: 'output',
});

async function fileResult(file: string, value: unknown): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-output-'));
  const step = resolved('file', { path: `out/${file}` });
  const sink = await openOutput(fileOutput, step, { pipelineDir: dir }, false);
  await writeResult(sink, value, step);
  await sink.commit();
  expect(readdirSync(path.join(dir, 'out'))).toEqual([file]);
  return readFileSync(path.join(dir, 'out', file), 'utf8');
}

describe('openOutput', () => {
  it('opens the step with its options and the context, saying whether records stream', async () => {
    const seen: { options: unknown; ctx: OutputContext }[] = [];
    const step: OutputStep = {
      kind: 'output',
      name: 'spy',
      summary: 'remembers how it was opened',
      options: { type: 'object' },
      open: (options, ctx) => {
        seen.push({ options, ctx });
        return memorySink([]);
      },
    };
    await openOutput(step, resolved('spy', { a: 1 }), { pipelineDir: '/p', pipelineFile: '/p/x.yaml' }, true);
    await openOutput(step, resolved('spy'), { pipelineDir: '/q' }, false);
    expect(seen).toEqual([
      { options: { a: 1 }, ctx: { pipelineDir: '/p', pipelineFile: '/p/x.yaml', streaming: true } },
      { options: {}, ctx: { pipelineDir: '/q', streaming: false } },
    ]);
  });
});

describe('writeResult', () => {
  it('writes an array result as records: one NDJSON line per item, a CSV row per item', async () => {
    expect(await fileResult('r.ndjson', [{ a: 1 }, { a: 2 }])).toBe('{"a":1}\n{"a":2}\n');
    expect(
      await fileResult('r.csv', [
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ]),
    ).toBe('a,b\n1,x\n2,y\n');
    expect(JSON.parse(await fileResult('r.json', [3, 1, 2]))).toEqual([3, 1, 2]);
  });

  it('writes any other result as one value', async () => {
    expect(JSON.parse(await fileResult('v.json', { total: 42, by: { a: 1 } }))).toEqual({ total: 42, by: { a: 1 } });
    expect(await fileResult('n.json', 328350)).toBe('328350\n');
    expect(JSON.parse(await fileResult('null.json', null))).toBeNull();
  });

  it('fails with OUTPUT_FAILED when a value goes to an output that only takes records', async () => {
    const written: unknown[][] = [];
    const sink: OutputSink = { write: (records) => void written.push(records), commit: async () => {}, abort: async () => {} };
    const step = { ...resolved('./steps/rows.mjs'), path: 'output' };
    const error = await writeResult(sink, 7, step).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FlowError);
    expect((error as FlowError).toJSON()).toEqual({
      code: 'OUTPUT_FAILED',
      message: 'output step "./steps/rows.mjs" cannot write a single value (number); it only takes records',
      step: 'output (./steps/rows.mjs)',
    });
    expect((error as FlowError).exitCode).toBe(1);
    // An array still goes through.
    await writeResult(sink, [1, 2], step);
    expect(written).toEqual([[1, 2]]);
    const objectError = await writeResult(sink, { a: 1 }, step).catch((e: FlowError) => e.message);
    expect(objectError).toBe('output step "./steps/rows.mjs" cannot write a single value (object); it only takes records');
  });
});

describe('memorySink', () => {
  it('keeps every batch in order, ignores a single value, and commits and aborts quietly', async () => {
    const records: unknown[] = [];
    const sink = memorySink(records);
    await sink.write([1, 2]);
    await sink.write([]);
    await sink.write([3]);
    await sink.writeValue!({ ignored: true });
    await sink.commit();
    await sink.abort();
    expect(records).toEqual([1, 2, 3]);
    expect(sink.closed).toBeUndefined();
  });

  it('takes a batch bigger than the argument limit of a spread push', async () => {
    const records: unknown[] = [];
    const batch = Array.from({ length: 300_000 }, (_, i) => i);
    await memorySink(records).write(batch);
    expect(records.length).toBe(300_000);
    expect(records[299_999]).toBe(299_999);
  });
});

describe('an aborted file output', () => {
  it('leaves no file behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-output-'));
    const step = resolved('file', { path: 'out/r.json' });
    const sink = await openOutput(fileOutput, step, { pipelineDir: dir }, false);
    await writeResult(sink, { a: 1 }, step);
    await sink.abort();
    expect(existsSync(path.join(dir, 'out/r.json'))).toBe(false);
    expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
  });
});

describe('-o: where the output goes', () => {
  const builtin = (name: string, options: Record<string, unknown>): ResolvedStep => ({
    kind: 'output',
    name,
    module: builtinModule('output', name)!,
    options,
    path: 'output',
  });
  const plan = (output: ResolvedStep) => ({ pipelineDir: '/p', output }) as unknown as Plan;

  it("tells a file (relative to the pipeline's folder) or stdout, with the format; nothing for a plugin", () => {
    expect(outputTarget(plan(builtin('file', { path: 'out/x.csv' })))).toEqual({ path: '/p/out/x.csv', format: 'csv' });
    expect(outputTarget(plan(builtin('file', { path: 'out/x.log', format: 'ndjson' })))).toEqual({ path: '/p/out/x.log', format: 'ndjson' });
    expect(outputTarget(plan(builtin('stdout', {})))).toEqual({ stdout: true, format: 'json' });
    expect(outputTarget(plan({ ...resolved('./steps/s3.ts'), exportName: 'put' }))).toBeUndefined();
  });

  it('replaces any output with the file PATH (relative to the cwd), its format from the extension; - is stdout', () => {
    const redirected = redirectOutput(plan({ ...resolved('./steps/s3.ts'), exportName: 'put' }), 'res/out.jsonl', '/work');
    expect(redirected.output).toEqual({ ...builtin('file', { path: '/work/res/out.jsonl', format: 'ndjson' }) });
    const toStdout = redirectOutput(plan(builtin('file', { path: 'out/x.csv' })), '-', '/work');
    expect(toStdout.output).toEqual(builtin('stdout', { format: 'csv' }));
    expect(() => redirectOutput(plan(builtin('stdout', {})), 'out.txt', '/work')).toThrow(
      expect.objectContaining({ code: 'BAD_ARGS', message: '-o out.txt: cannot tell the output format from the extension ".txt"' }) as Error,
    );
    expect(() => redirectOutput(plan(builtin('stdout', {})), 'out', '/work')).toThrow(/from a name without an extension/);
  });

  it('knows Parquet: a .parquet file, -o x.parquet, and stdout in JSON for - from a Parquet output', () => {
    expect(outputTarget(plan(builtin('file', { path: 'out/x.parquet' })))).toEqual({ path: '/p/out/x.parquet', format: 'parquet' });
    expect(redirectOutput(plan(builtin('stdout', {})), 'x.parquet', '/work').output).toEqual(builtin('file', { path: '/work/x.parquet', format: 'parquet' }));
    expect(redirectOutput(plan(builtin('file', { path: 'out/x.parquet' })), '-', '/work').output).toEqual(builtin('stdout', {}));
  });
});
