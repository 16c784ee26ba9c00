// runPipeline: the stages in order, from a file or an object, with progress, a summary, interruption
// and failures that name the record. Built-in steps run compiled, from dist/.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../engine/contract/errors.js';
import type { ProgressSnapshot, StageName } from '../../../engine/cli/progress.js';
import { runPipeline } from '../../../engine/run/run.js';

function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-run-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function observe() {
  const events: string[] = [];
  const snapshots: ProgressSnapshot[] = [];
  const observer = {
    stageStart: (stage: StageName) => void events.push(`start ${stage}`),
    stageEnd: (stage: StageName, ok: boolean) => void events.push(`end ${stage}${ok ? '' : ' failed'}`),
    progress: (snapshot: ProgressSnapshot) => void snapshots.push(snapshot),
  };
  return { events, snapshots, observer };
}

const stagesOk = (...names: StageName[]) => names.flatMap((name) => [`start ${name}`, `end ${name}`]);
const squares = Array.from({ length: 20 }, (_, x) => x * x);
const squaresYaml = 'name: squares\nsource:\n  step: range\n  with: { end: 20 }\nmap:\n  - step: transform\n    with: { expr: "r * r" }\nreduce: collect\noutput:\n  step: file\n  with: { path: out/squares.json }\n';

describe('runPipeline with a file', () => {
  it('runs the stages in order, writes the output and returns the result and the summary', async () => {
    const dir = project({ 'pipeline.yaml': squaresYaml });
    const { events, snapshots, observer } = observe();
    const { result, summary } = await runPipeline(path.join(dir, 'pipeline.yaml'), { observer, env: {} });
    expect(result).toEqual(squares);
    expect(JSON.parse(readFileSync(path.join(dir, 'out/squares.json'), 'utf8'))).toEqual(squares);
    expect(events).toEqual(stagesOk('validate', 'resolve', 'run', 'reduce', 'write'));
    expect(snapshots).toEqual([{ chunksDone: 1, chunksTotal: 1, records: 20, bytes: 0, elapsedMs: expect.any(Number) }]);
    // A tiny job of built-in steps runs in-process: no worker threads.
    expect(summary).toEqual({ name: 'squares', workers: 0, chunks: 1, recordsIn: 20, recordsOut: 20, bytes: 0, elapsedMs: expect.any(Number), peakRssMiB: expect.any(Number) });
    expect(summary.peakRssMiB).toBeGreaterThan(0);
  });

  it('resolves a relative pipeline path against cwd, and returns without writing when output is false', async () => {
    const dir = project({ 'pipeline.yaml': squaresYaml });
    const { result } = await runPipeline('pipeline.yaml', { cwd: dir, output: false, env: {} });
    expect(result).toEqual(squares);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('runPipeline with a pipeline object', () => {
  it('returns a map-only pipeline’s records in source order; only the run stage follows resolve', async () => {
    const { events, snapshots, observer } = observe();
    // flat-map has no bulk form, so these numbers go through worker threads as records.
    const pipeline = { source: { step: 'range', with: { end: 1000 } }, chunking: { records: 100 }, map: [{ step: 'flat-map', with: { expr: 'r % 10 === 0 ? [r] : []' } }] };
    const { result, summary } = await runPipeline(pipeline, { observer, workers: 3, env: {} });
    expect(result).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
    expect(events).toEqual(stagesOk('validate', 'resolve', 'run'));
    expect(snapshots.map(({ elapsedMs: _, ...s }) => s)).toEqual(Array.from({ length: 10 }, (_, i) => ({ chunksDone: i + 1, chunksTotal: 10, records: (i + 1) * 100, bytes: 0 })));
    expect(snapshots.map((s) => s.elapsedMs)).toEqual([...snapshots.map((s) => s.elapsedMs)].sort((a, b) => a - b));
    expect(summary).toMatchObject({ workers: 3, chunks: 10, recordsIn: 1000, recordsOut: 100 });
    expect(summary.name).toBeUndefined();
  });

  it('returns the reduce result, uses no more threads than chunks, and counts the bytes of a file', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ v: i }));
    const dir = project({ 'data.ndjson': `${lines.join('\n')}\n` });
    const pipeline = { source: { step: 'file', with: { path: 'data.ndjson' } }, chunking: { bytes: 8192 }, reduce: { step: 'sum', with: { field: 'v' } } };
    const { snapshots, observer } = observe();
    const { result, summary } = await runPipeline(pipeline, { cwd: dir, observer, workers: 64, env: {} });
    expect(result).toBe((2999 * 3000) / 2);
    const total = readFileSync(path.join(dir, 'data.ndjson')).length;
    expect(summary).toMatchObject({ chunks: snapshots.length, recordsIn: 3000, recordsOut: 3000, bytes: total });
    expect(summary.chunks).toBeGreaterThan(3);
    expect(summary.workers).toBe(Math.min(64, summary.chunks));
    expect(snapshots.at(-1)).toMatchObject({ chunksDone: summary.chunks, chunksTotal: summary.chunks, records: 3000, bytes: total });
    expect(snapshots.map((s) => s.chunksDone)).toEqual(Array.from({ length: summary.chunks }, (_, i) => i + 1));
  });

  it('gives each reducer’s empty result for a source with no records', async () => {
    const results: unknown[] = [];
    for (const reduce of ['collect', 'count', 'sum', 'mean', undefined]) {
      const { result, summary } = await runPipeline({ source: { step: 'range', with: { end: 0 } }, ...(reduce ? { reduce } : {}) }, { output: false, env: {} });
      expect(summary).toMatchObject({ chunks: 0, recordsIn: 0, recordsOut: 0 });
      results.push(result);
    }
    expect(results).toEqual([[], 0, 0, null, []]);
  });

  it('writes to the output the object names, relative to cwd', async () => {
    const dir = project();
    const pipeline = { source: { step: 'range', with: { end: 4 } }, map: [{ step: 'transform', with: { expr: '({ n: r })' } }], output: { step: 'file', with: { path: 'out/n.csv' } } };
    const { result } = await runPipeline(pipeline, { cwd: dir, env: {} });
    expect(result).toBeUndefined();
    expect(readFileSync(path.join(dir, 'out/n.csv'), 'utf8')).toBe('n\n0\n1\n2\n3\n');
  });
});

describe('an interrupted run', () => {
  it('rejects with INTERRUPTED when aborted mid-run, and writes no output file', async () => {
    const dir = project();
    const controller = new AbortController();
    const { events, snapshots, observer } = observe();
    const pipeline = { source: { step: 'range', with: { end: 1_000_000 } }, chunking: { records: 1000 }, reduce: 'collect', output: { step: 'file', with: { path: 'out/all.json' } } };
    const outcome = await runPipeline(pipeline, {
      cwd: dir,
      workers: 2,
      env: {},
      signal: controller.signal,
      observer: { ...observer, progress: (s) => (observer.progress(s), s.chunksDone === 3 && controller.abort()) },
    }).then(() => undefined, (error: unknown) => error);
    expect(outcome).toBeInstanceOf(FlowError);
    expect((outcome as FlowError).toJSON()).toEqual({ code: 'INTERRUPTED', message: 'interrupted; nothing was written' });
    expect((outcome as FlowError).exitCode).toBe(130);
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    expect(snapshots.length).toBeLessThan(1000);
    expect(events).toEqual([...stagesOk('validate', 'resolve'), 'start run', 'end run failed']);
    expect(existsSync(path.join(dir, 'out/all.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'out')) ? readdirSync(path.join(dir, 'out')) : []).toEqual([]);
  });

  it('runs nothing when the signal is already aborted', async () => {
    const dir = project();
    const { snapshots, observer } = observe();
    const pipeline = { source: { step: 'range', with: { end: 10 } }, reduce: 'count', output: { step: 'file', with: { path: 'out/n.json' } } };
    await expect(runPipeline(pipeline, { cwd: dir, env: {}, observer, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(snapshots).toEqual([]);
    expect(existsSync(path.join(dir, 'out/n.json'))).toBe(false);
  });
});

describe('a failed run', () => {
  it('rejects with a FlowError naming the step and the record’s file and line, on worker threads', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ delay: i }));
    lines[1456] = '{"delay": oops}';
    const dir = project({ 'pipeline.yaml': 'source:\n  step: file\n  with: { path: data.ndjson }\nchunking: { bytes: 2048 }\nreduce: { step: sum, with: { field: delay } }\noutput:\n  step: file\n  with: { path: out/result.json }\n', 'data.ndjson': lines.join('\n') });
    const { events, observer } = observe();
    const error = await runPipeline(path.join(dir, 'pipeline.yaml'), { observer, workers: 2, env: {} }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(FlowError);
    expect((error as FlowError).toJSON()).toEqual({
      code: 'RECORD_PARSE',
      message: expect.stringMatching(/^invalid JSON: .*oops/),
      hint: 'each non-blank line of an NDJSON file must be one complete JSON value',
      step: 'source (file)',
      record: { file: 'data.ndjson', line: 1457 },
    });
    expect(events).toEqual([...stagesOk('validate', 'resolve'), 'start run', 'end run failed']);
    expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
  });

  it('names the map step and the record’s line when an expression fails in-process', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify(i === 31 ? { id: i } : { id: i, name: `n${i}` }));
    const dir = project({ 'data.ndjson': lines.join('\n') });
    const pipeline = { source: { step: 'file', with: { path: 'data.ndjson' } }, map: [{ step: 'filter', with: { where: 'r.id >= 0' } }, { step: 'transform', with: { expr: 'r.name.toUpperCase()' } }] };
    const failure = runPipeline(pipeline, { cwd: dir, env: {} });
    const error = await failure.then(() => undefined, (e: unknown) => e);
    expect((error as FlowError).toJSON()).toEqual({
      code: 'STEP_FAILED',
      message: "Cannot read properties of undefined (reading 'toUpperCase')",
      step: 'map[1] (transform)',
      record: { file: 'data.ndjson', line: 32 },
    });
    expect((error as FlowError).exitCode).toBe(1);
  });

  it('rejects before running when the pipeline is invalid', async () => {
    const { events, snapshots, observer } = observe();
    const error = await runPipeline({ source: { step: 'range', with: { ende: 5 } }, reduce: 'count' }, { observer, env: {} }).then(() => undefined, (e: unknown) => e);
    expect((error as FlowError).toJSON()).toEqual({ code: 'UNKNOWN_KEY', message: 'unknown key `ende`', path: 'source.with.ende', hint: 'did you mean `end`?' });
    // A step's options are checked when the step is resolved.
    expect(events).toEqual(['start validate', 'end validate', 'start resolve', 'end resolve failed']);
    expect(snapshots).toEqual([]);
    const top = observe();
    const topError = await runPipeline({ source: { step: 'range', with: { end: 3 } }, reduse: 'count' }, { observer: top.observer, env: {} }).then(() => undefined, (e: unknown) => e);
    expect((topError as FlowError).toJSON()).toEqual({ code: 'UNKNOWN_KEY', message: 'unknown key `reduse`', path: 'reduse', hint: 'did you mean `reduce`?' });
    expect(top.events.slice(0, 2)).toEqual(['start validate', 'end validate failed']);
    expect(top.events).not.toContain('start run');
  });
});
