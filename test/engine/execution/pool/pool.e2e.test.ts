// The worker pool: real threads running real chunks of compiled built-in steps (from dist/).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinModule } from '../../../../steps/registry.js';
import type { ResolvedStep } from '../../../../engine/contract/plan.js';
import { createMerger } from '../../../../engine/run/merge.js';
import type { WorkerPlan } from '../../../../engine/execution/messages.js';
import { createPool, createSharedPool, workerResourceLimits, type ChunkPool } from '../../../../engine/execution/pool/pool.js';
import type { ReduceStep, StepKind } from '../../../../engine/contract/step.js';

const context = { pipelineDir: '/tmp' };
const unitSteps = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/unit/steps');
const plugin = (file: string): ResolvedStep => ({
  kind: 'map',
  name: file,
  module: pathToFileURL(path.join(unitSteps, file)).href,
  options: {},
  path: 'map[0]',
});
const step = (kind: StepKind, name: string, options: Record<string, unknown>, at: string): ResolvedStep => ({
  kind,
  name,
  module: builtinModule(kind, name)!,
  options,
  path: at,
});
const range = step('source', 'range', { end: 1000 }, 'source');
const sum = step('reduce', 'sum', {}, 'reduce');
/** Chunk i: the numbers 250*i to 250*i + 249. */
const chunk = (index: number) => ({ chunk: { index, data: { first: index * 250, count: 250 }, records: 250 } });

describe('createPool', () => {
  it('caps each worker’s young generation, so its RSS stays flat over a long run', async () => {
    const plan: WorkerPlan = {
      context: { pipelineDir: path.join(unitSteps) },
      source: step('source', 'range', { end: 20 }, 'source'),
      map: [plugin('young-space.mjs')],
    };
    const pool = createPool(plan, 1);
    try {
      const result = await pool.run({ chunk: { index: 0, data: { first: 0, count: 20 }, records: 20 } });
      // All numbers, so they cross as one typed array.
      const sizes = Array.from((result as { values: Float64Array }).values);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(workerResourceLimits().maxYoungGenerationSizeMb * 2 ** 20);
      expect(Math.max(...sizes)).toBeGreaterThan(0);
    } finally {
      await pool.destroy();
    }
  });

  it('runs chunks on 2 threads and returns partials that merge, in order, to the whole result', async () => {
    const plan: WorkerPlan = { context, source: range, map: [step('map', 'filter', { where: 'r % 3 === 0' }, 'map[0]')], reduce: sum };
    const pool = createPool(plan, 2);
    try {
      expect(pool.threads).toBe(2);
      const results = await Promise.all([0, 1, 2, 3].map((i) => pool.run(chunk(i))));
      expect(results.map(({ type, index, recordsIn, recordsOut }) => ({ type, index, recordsIn, recordsOut }))).toEqual([
        { type: 'partial', index: 0, recordsIn: 250, recordsOut: 84 },
        { type: 'partial', index: 1, recordsIn: 250, recordsOut: 83 },
        { type: 'partial', index: 2, recordsIn: 250, recordsOut: 83 },
        { type: 'partial', index: 3, recordsIn: 250, recordsOut: 84 },
      ]);
      const reducer = (await import(sum.module)).default as ReduceStep;
      const merger = createMerger(reducer, sum, context);
      for (const result of results) merger.merge((result as { acc: unknown }).acc);
      let expected = 0;
      for (let n = 0; n < 1000; n += 3) expected += n;
      expect(merger.finish()).toBe(expected);
    } finally {
      await pool.destroy();
    }
  });

  it('moves map-only numbers back as one Float64Array', async () => {
    const pool = createPool({ context, source: range, map: [step('map', 'transform', { expr: 'r / 2' }, 'map[0]')] }, 2);
    try {
      const result = await pool.run({ chunk: { index: 1, data: { first: 10, count: 4 } } });
      expect(result).toEqual({ type: 'numbers', values: new Float64Array([5, 5.5, 6, 6.5]), index: 1, recordsIn: 4, recordsOut: 4 });
      // Records that are not all numbers come back as they are.
      const objects = createPool({ context, source: range, map: [step('map', 'transform', { expr: '({ n: r })' }, 'map[0]')] }, 1);
      try {
        expect(await objects.run({ chunk: { index: 0, data: { first: 0, count: 2 } } })).toEqual({
          type: 'records',
          records: [{ n: 0 }, { n: 1 }],
          index: 0,
          recordsIn: 2,
          recordsOut: 2,
        });
      } finally {
        await objects.destroy();
      }
    } finally {
      await pool.destroy();
    }
  });

  it('brings a step’s FlowError back from the thread as plain data, code and hint kept', async () => {
    const plan: WorkerPlan = { context, source: range, map: [step('map', 'transform', { expr: 'r === 260 ? "x" : r' }, 'map[0]')], reduce: sum };
    const pool = createPool(plan, 2);
    try {
      const [ok, bad] = await Promise.all([pool.run(chunk(0)), pool.run(chunk(1))]);
      expect(ok).toMatchObject({ type: 'partial', index: 0 });
      expect(bad).toEqual({
        type: 'error',
        error: {
          code: 'BAD_RECORD',
          message: expect.stringContaining('"x" (a string)'),
          hint: expect.any(String),
          step: 'reduce (sum)',
        },
        recordInChunk: 10,
        bug: false,
        index: 1,
        recordsIn: 10,
        recordsOut: 10,
      });
    } finally {
      await pool.destroy();
    }
  });

  it('destroy ends the threads: a task still running is rejected, and destroy resolves', async () => {
    // An hour per record: were destroy to wait for the task, the test would time out.
    const spin: ResolvedStep = {
      kind: 'map',
      name: './spin.mjs',
      module: new URL('../../../fixtures/unit/steps/spin.mjs', import.meta.url).href,
      options: { ms: 3_600_000 },
      path: 'map[0]',
    };
    const pool = createPool({ context, source: range, map: [spin], reduce: sum }, 2);
    // No records: the threads start and load the step, nothing spins.
    expect(await pool.run({ chunk: { index: 0, data: { first: 0, count: 0 } } })).toMatchObject({ type: 'partial', recordsIn: 0 });
    const order: string[] = [];
    const running = pool.run({ chunk: { index: 1, data: { first: 0, count: 100 } } });
    const outcome = running.then(
      () => 'finished',
      (error: unknown) => (order.push('task rejected'), error),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.destroy();
    order.push('destroyed');
    expect(await outcome).toBeInstanceOf(Error);
    // The task was rejected, not finished: destroy ended its thread rather than waiting for it.
    expect(order).toEqual(['task rejected', 'destroyed']);
  });

  it('an aborted signal cancels a task', async () => {
    const pool = createPool({ context, source: range, map: [], reduce: sum }, 1);
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(pool.run(chunk(0), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
      expect(await pool.run(chunk(0))).toMatchObject({ type: 'partial', recordsIn: 250 });
    } finally {
      await pool.destroy();
    }
  });
});

describe('createSharedPool', () => {
  const tagged = (tag: string): WorkerPlan => ({ context, source: range, map: [{ ...plugin('thread-id.mjs'), options: { tag } }] });
  /** Each chunk i of a run on the pool: its records, as the plan's step made them. */
  const runChunks = async (pool: ChunkPool, chunks: number) => {
    const results = await Promise.all(Array.from({ length: chunks }, (_, i) => pool.run({ chunk: { index: i, data: { first: 10 * i, count: 2 } } })));
    return results.flatMap((result) => (result as { records: Array<{ r: number; thread: number; tag: string }> }).records);
  };

  it('runs each run with its own plan, on the same threads', async () => {
    const shared = createSharedPool();
    try {
      const first = shared.forPlan(tagged('a'), 1);
      const a = await runChunks(first, 2);
      await first.destroy();
      const second = shared.forPlan({ context, source: range, map: [step('map', 'transform', { expr: 'r * 3' }, 'map[0]')] }, 1);
      expect(await second.run({ chunk: { index: 0, data: { first: 5, count: 3 } } })).toMatchObject({
        type: 'numbers',
        values: new Float64Array([15, 18, 21]),
      });
      await second.destroy();
      const third = shared.forPlan(tagged('c'), 1);
      const c = await runChunks(third, 2);
      await third.destroy();
      expect(a.map(({ r, tag }) => [r, tag])).toEqual([0, 1, 10, 11].map((r) => [r, 'a']));
      expect(c.map(({ r, tag }) => [r, tag])).toEqual([0, 1, 10, 11].map((r) => [r, 'c']));
      // No thread was started for the third run (thread ids are never reused): its chunks ran on the first run's thread.
      expect(new Set([...a, ...c].map((record) => record.thread)).size).toBe(1);
      expect(first.threads).toBe(1);
    } finally {
      await shared.close();
    }
  });

  it('a run that ends with a chunk still running takes the threads with it; the next run gets new ones', async () => {
    const spin: ResolvedStep = { ...plugin('spin.mjs'), options: { ms: 3_600_000 } };
    const shared = createSharedPool();
    try {
      const before = shared.forPlan(tagged('before'), 1);
      const [{ thread: old }] = (await runChunks(before, 1)) as [{ thread: number }];
      await before.destroy();
      const stuck = shared.forPlan({ context, source: range, map: [spin] }, 1);
      const running = stuck.run({ chunk: { index: 0, data: { first: 0, count: 1 } } }).then(
        () => 'finished',
        () => 'rejected',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Were destroy to keep the threads, the spinning chunk would hold them for an hour.
      await stuck.destroy();
      expect(await running).toBe('rejected');
      const after = shared.forPlan(tagged('after'), 1);
      const records = await runChunks(after, 1);
      expect(records.map(({ r, tag }) => [r, tag])).toEqual([
        [0, 'after'],
        [1, 'after'],
      ]);
      expect(records[0]!.thread).not.toBe(old);
      await after.destroy();
    } finally {
      await shared.close();
    }
  });

  it('starts new threads for a run that wants another number of them', async () => {
    const shared = createSharedPool();
    try {
      const one = shared.forPlan(tagged('one'), 1);
      await runChunks(one, 1);
      await one.destroy();
      const two = shared.forPlan(tagged('two'), 2);
      expect(two.threads).toBe(2);
      expect((await runChunks(two, 2)).map(({ tag }) => tag)).toEqual(['two', 'two', 'two', 'two']);
      await two.destroy();
    } finally {
      await shared.close();
    }
  });
});
