// runPipeline in-process: the stages in order, from a file or an object, with progress, a summary,
// interruption and failures that name the record. Built-in steps load from source; runs that need
// worker threads (compiled, from dist/) are in run.e2e.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../engine/contract/errors.js';
import { runPipeline } from '../../../engine/run/run.js';
import { observe, project, squares, squaresYaml, stagesOk } from './harness.js';

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
    expect(summary).toEqual({
      name: 'squares',
      workers: 'in-process',
      chunks: 1,
      recordsIn: 20,
      recordsOut: 20,
      bytes: 0,
      elapsedMs: expect.any(Number),
      peakRssMiB: expect.any(Number),
      steps: [
        { step: 'source', name: 'range', recordsOut: 20 },
        { step: 'map[0]', name: 'transform', recordsIn: 20, recordsOut: 20 },
        { step: 'reduce', name: 'collect', recordsIn: 20 },
      ],
      execution: {
        where: 'in-process',
        form: 'records',
        emit: false,
        reasons: expect.arrayContaining(['records: the reducer collect cannot take numbers in bulk', 'in-process: one chunk of 20 records']),
      },
    });
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
    const pipeline = {
      source: { step: 'range', with: { end: 4 } },
      map: [{ step: 'transform', with: { expr: '({ n: r })' } }],
      output: { step: 'file', with: { path: 'out/n.csv' } },
    };
    const { result } = await runPipeline(pipeline, { cwd: dir, env: {} });
    expect(result).toBeUndefined();
    expect(readFileSync(path.join(dir, 'out/n.csv'), 'utf8')).toBe('n\n0\n1\n2\n3\n');
  });
});

describe('an interrupted run', () => {
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
  it('names the map step and the record’s line when an expression fails in-process', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify(i === 31 ? { id: i } : { id: i, name: `n${i}` }));
    const dir = project({ 'data.ndjson': lines.join('\n') });
    const pipeline = {
      source: { step: 'file', with: { path: 'data.ndjson' } },
      map: [
        { step: 'filter', with: { where: 'r.id >= 0' } },
        { step: 'transform', with: { expr: 'r.name.toUpperCase()' } },
      ],
    };
    const failure = runPipeline(pipeline, { cwd: dir, env: {} });
    const error = await failure.then(
      () => undefined,
      (e: unknown) => e,
    );
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
    const error = await runPipeline({ source: { step: 'range', with: { ende: 5 } }, reduce: 'count' }, { observer, env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as FlowError).toJSON()).toEqual({
      code: 'UNKNOWN_KEY',
      message: 'unknown key `ende`',
      path: 'source.with.ende',
      hint: 'did you mean `end`?',
    });
    // A step's options are checked when the step is resolved.
    expect(events).toEqual(['start validate', 'end validate', 'start resolve', 'end resolve failed']);
    expect(snapshots).toEqual([]);
    const top = observe();
    const topError = await runPipeline({ source: { step: 'range', with: { end: 3 } }, reduse: 'count' }, { observer: top.observer, env: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((topError as FlowError).toJSON()).toEqual({ code: 'UNKNOWN_KEY', message: 'unknown key `reduse`', path: 'reduse', hint: 'did you mean `reduce`?' });
    expect(top.events.slice(0, 2)).toEqual(['start validate', 'end validate failed']);
    expect(top.events).not.toContain('start run');
  });
});
