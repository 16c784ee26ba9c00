// runPipeline on worker threads (the pool runs the compiled worker from dist/): records in source
// order across chunks, threads capped by chunks, interruption mid-run, and a failure in a thread
// that names the record.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../engine/contract/errors.js';
import { runPipeline } from '../../../engine/run/run.js';
import { observe, project, stagesOk } from './harness.js';

describe('runPipeline with a pipeline object, on worker threads', () => {
  it('returns a map-only pipeline’s records in source order; only the run stage follows resolve', async () => {
    const { events, snapshots, observer } = observe();
    // flat-map has no bulk form, so these numbers go through worker threads as records.
    const pipeline = {
      source: { step: 'range', with: { end: 1000 } },
      chunking: { records: 100 },
      map: [{ step: 'flat-map', with: { expr: 'r % 10 === 0 ? [r] : []' } }],
    };
    const { result, summary } = await runPipeline(pipeline, { observer, workers: 3, env: {} });
    expect(result).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
    expect(events).toEqual(stagesOk('validate', 'resolve', 'run'));
    expect(snapshots.map(({ elapsedMs: _, ...s }) => s)).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ chunksDone: i + 1, chunksTotal: 10, records: (i + 1) * 100, bytes: 0 })),
    );
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
});

describe('an interrupted run', () => {
  it('rejects with INTERRUPTED when aborted mid-run, and writes no output file', async () => {
    const dir = project();
    const controller = new AbortController();
    const { events, snapshots, observer } = observe();
    const pipeline = {
      source: { step: 'range', with: { end: 1_000_000 } },
      chunking: { records: 1000 },
      reduce: 'collect',
      output: { step: 'file', with: { path: 'out/all.json' } },
    };
    const outcome = await runPipeline(pipeline, {
      cwd: dir,
      workers: 2,
      env: {},
      signal: controller.signal,
      observer: { ...observer, progress: (s) => (observer.progress(s), s.chunksDone === 3 && controller.abort()) },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(FlowError);
    expect((outcome as FlowError).toJSON()).toEqual({ code: 'INTERRUPTED', message: 'interrupted; nothing was written' });
    expect((outcome as FlowError).exitCode).toBe(130);
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    expect(snapshots.length).toBeLessThan(1000);
    expect(events).toEqual([...stagesOk('validate', 'resolve'), 'start run', 'end run failed']);
    expect(existsSync(path.join(dir, 'out/all.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'out')) ? readdirSync(path.join(dir, 'out')) : []).toEqual([]);
  });
});

describe('a failed run', () => {
  it('rejects with a FlowError naming the step and the record’s file and line, on worker threads', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ delay: i }));
    lines[1456] = '{"delay": oops}';
    const dir = project({
      'pipeline.yaml':
        'source:\n  step: file\n  with: { path: data.ndjson }\nchunking: { bytes: 2048 }\nreduce: { step: sum, with: { field: delay } }\noutput:\n  step: file\n  with: { path: out/result.json }\n',
      'data.ndjson': lines.join('\n'),
    });
    const { events, observer } = observe();
    const error = await runPipeline(path.join(dir, 'pipeline.yaml'), { observer, workers: 2, env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
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
});
