import { getEventListeners } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../engine/execution/dispatch.js';
import type { ChunkPool } from '../../../engine/execution/pool/pool.js';
import type { ChunkResult, ChunkTask } from '../../../engine/execution/messages.js';
import { FlowError } from '../../../engine/contract/errors.js';

/** A pool whose tasks finish after a delay chosen per chunk, recording how many ran at once. */
function fakePool(threads: number, delayOf: (index: number) => number, fail?: (index: number) => boolean) {
  const stats = { inFlight: 0, maxInFlight: 0, started: [] as number[] };
  const pool: ChunkPool = {
    threads,
    async run(task: ChunkTask): Promise<ChunkResult> {
      const index = task.chunk.index;
      stats.started.push(index);
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      await new Promise((r) => setTimeout(r, delayOf(index)));
      stats.inFlight--;
      if (fail?.(index)) throw new Error('worker exited with code 1');
      return { type: 'partial', acc: index, index, recordsIn: 1, recordsOut: 1 };
    },
    destroy: async () => {},
  };
  return { pool, stats };
}

function* descriptors(n: number, pulled: { count: number }) {
  for (let i = 0; i < n; i++) {
    pulled.count++;
    yield { data: { i } };
  }
}

describe('dispatch', () => {
  it('hands results back in chunk order although they finish out of order', async () => {
    const { pool } = fakePool(2, (i) => (i % 3 === 0 ? 15 : 1));
    const seen: number[] = [];
    const pulled = { count: 0 };
    const { chunks } = await dispatch({ pool, chunks: descriptors(20, pulled), consume: (r) => void seen.push(r.index) });
    expect(chunks).toBe(20);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('never has more chunks outstanding than the window, so the source cannot run ahead', async () => {
    const { pool, stats } = fakePool(2, (i) => (i === 0 ? 30 : 1));
    const pulled = { count: 0 };
    let maxAhead = 0;
    let consumed = 0;
    await dispatch({
      pool,
      chunks: descriptors(50, pulled),
      consume: () => {
        maxAhead = Math.max(maxAhead, pulled.count - consumed);
        consumed++;
      },
    });
    expect(stats.maxInFlight).toBeLessThanOrEqual(4);
    // At most the window (4) pulled beyond what was consumed, plus the one being consumed.
    expect(maxAhead).toBeLessThanOrEqual(5);
  });

  it('turns a dead worker, with one attempt, into CHUNK_FAILED naming the chunk and the cause', async () => {
    const { pool } = fakePool(
      2,
      () => 1,
      (i) => i === 3,
    );
    const error = await dispatch({ pool, chunks: descriptors(10, { count: 0 }), consume: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowError);
    expect((error as FlowError).code).toBe('CHUNK_FAILED');
    expect((error as FlowError).message).toBe('chunk 3 failed its only attempt: its worker thread died: worker exited with code 1');
    expect((error as FlowError).record).toEqual({ chunk: 3 });
  });

  it('stops with INTERRUPTED when the signal is aborted', async () => {
    const { pool } = fakePool(2, () => 5);
    const controller = new AbortController();
    let n = 0;
    const error = await dispatch({
      pool,
      chunks: descriptors(100, { count: 0 }),
      signal: controller.signal,
      consume: () => {
        if (++n === 3) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((error as FlowError).code).toBe('INTERRUPTED');
    expect(n).toBeLessThan(10);
  });
});

/** What one attempt at a chunk does: its result, a throw (the worker died), or 'hang' (until aborted). */
type Behaviour = ChunkResult | Error | 'hang';

/** A pool that does what `behave` says for each chunk's n-th attempt (from 1), recording every attempt. */
function scriptedPool(threads: number, behave: (index: number, attempt: number) => Behaviour) {
  const tried = new Map<number, number>();
  const signals: AbortSignal[] = [];
  const stats = { inFlight: 0, maxInFlight: 0, attempts: [] as [index: number, attempt: number][] };
  const pool: ChunkPool = {
    threads,
    async run(task: ChunkTask, signal?: AbortSignal): Promise<ChunkResult> {
      const index = task.chunk.index;
      const attempt = (tried.get(index) ?? 0) + 1;
      tried.set(index, attempt);
      stats.attempts.push([index, attempt]);
      if (signal) signals.push(signal);
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        await new Promise((r) => setTimeout(r, 1));
        const what = behave(index, attempt);
        if (what === 'hang') {
          // Like piscina: an aborted task rejects (and its thread is ended).
          await new Promise((_, reject) => signal!.addEventListener('abort', () => reject(new Error('The task has been aborted'))));
        }
        if (what instanceof Error) throw what;
        return what as ChunkResult;
      } finally {
        stats.inFlight--;
      }
    },
    destroy: async () => {},
  };
  return { pool, stats, signals };
}

const partial = (index: number): ChunkResult => ({ type: 'partial', acc: index * 10, index, recordsIn: 1, recordsOut: 1 });
const died = () => new Error('worker exited with code: 3');
const setupThrew = (index: number): ChunkResult => ({
  type: 'error',
  error: { code: 'STEP_FAILED', message: 'GEO_API_KEY is not set', step: 'map[0] (./steps/geo.mjs)' },
  bug: false,
  setup: true,
  index,
  recordsIn: 0,
  recordsOut: 0,
});

async function run(pool: ChunkPool, n: number, retries?: { attempts: number; chunkTimeoutMs?: number }, signal?: AbortSignal) {
  const seen: ChunkResult[] = [];
  const retried: [index: number, kind: string][] = [];
  const outcome = await dispatch({
    pool,
    chunks: descriptors(n, { count: 0 }),
    ...(retries ? { retries } : {}),
    ...(signal ? { signal } : {}),
    onRetry: (chunk, failure) => void retried.push([chunk.index, failure.kind]),
    consume: (r) => void seen.push(r),
  }).catch((e: unknown) => e);
  return { seen, retried, error: outcome instanceof Error ? (outcome as FlowError) : undefined };
}

describe('dispatch: results that cannot be sent back, late asynchronous failures', () => {
  it('runs a chunk whose result could not be cloned once more, asking for each record to be cloned, and counts no retry', async () => {
    const tasks: ChunkTask[] = [];
    const unsendable = () => Object.assign(new Error("a chunk's result cannot be sent back: () => 1 could not be cloned."), { unsendable: true });
    const { pool, stats } = scriptedPool(2, (i, attempt) => (i === 2 && attempt === 1 ? unsendable() : partial(i)));
    const run0 = pool.run.bind(pool);
    pool.run = (task, signal) => (tasks.push(task), run0(task, signal));
    const { seen, retried, error } = await run(pool, 4, { attempts: 1 });
    expect(error).toBeUndefined();
    expect(seen).toEqual([0, 1, 2, 3].map(partial));
    expect(retried).toEqual([]);
    expect(stats.attempts.filter(([i]) => i === 2)).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(tasks.filter((t) => t.chunk.index === 2).map((t) => t.sendable)).toEqual([undefined, true]);
  });

  it('fails, without more attempts, when the checked run dies of it too', async () => {
    const unsendable = () => Object.assign(new Error('could not be cloned'), { unsendable: true });
    const { pool, stats } = scriptedPool(1, (i) => (i === 0 ? unsendable() : partial(i)));
    const { error } = await run(pool, 1, { attempts: 5 });
    expect(error?.code).toBe('CHUNK_FAILED');
    expect(error?.message).toBe('chunk 0 failed all 2 attempts, each time: its result could not be sent back from its thread: could not be cloned');
    expect(stats.attempts).toHaveLength(2);
  });

  it("fails the run with the pool's late asynchronous failure, after every chunk was consumed", async () => {
    const { pool } = scriptedPool(2, (i) => partial(i));
    const late = new FlowError({ code: 'STEP_FAILED', message: 'an uncaught error in a timer or callback: too late', step: 'map[0] (./steps/x.mjs)' });
    let settled = 0;
    pool.settle = async () => (settled++, late);
    const { seen, error } = await run(pool, 3);
    expect(seen).toHaveLength(3);
    expect(settled).toBe(1);
    expect(error).toBe(late);
    pool.settle = async () => undefined;
    expect((await run(pool, 3)).error).toBeUndefined();
  });
});

describe('dispatch: retries', () => {
  it('runs a chunk whose worker died again, and hands on exactly its result, in its place', async () => {
    const { pool, stats } = scriptedPool(2, (i, attempt) => (i === 4 && attempt < 3 ? died() : partial(i)));
    const { seen, retried, error } = await run(pool, 10, { attempts: 3 });
    expect(error).toBeUndefined();
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => partial(i)));
    expect(retried).toEqual([
      [4, 'died'],
      [4, 'died'],
    ]);
    expect(stats.attempts.filter(([i]) => i === 4)).toEqual([
      [4, 1],
      [4, 2],
      [4, 3],
    ]);
    expect(stats.attempts).toHaveLength(12);
  });

  it('fails past its attempts with CHUNK_FAILED listing each attempt, and runs it no more', async () => {
    const { pool, stats } = scriptedPool(2, (i, attempt) => (i === 2 ? (attempt === 2 ? setupThrew(i) : died()) : partial(i)));
    const { seen, retried, error } = await run(pool, 6, { attempts: 3 });
    expect(seen.map((r) => r.index)).toEqual([0, 1]);
    // The last failure is not followed by another attempt.
    expect(retried).toEqual([
      [2, 'died'],
      [2, 'setup'],
    ]);
    expect(error).toBeInstanceOf(FlowError);
    expect(error!.toJSON()).toEqual({
      code: 'CHUNK_FAILED',
      message:
        'chunk 2 failed all 3 attempts: [1] its worker thread died: worker exited with code: 3; ' +
        '[2] the step could not be loaded or set up: GEO_API_KEY is not set; [3] its worker thread died: worker exited with code: 3',
      hint:
        "a step called process.exit, ran out of memory or crashed its thread on these records; a step's setup (or import) threw " +
        '(retries.attempts sets how often a chunk is tried)',
      step: 'map[0] (./steps/geo.mjs)',
      record: { chunk: 2 },
    });
    expect(stats.attempts.filter(([i]) => i === 2)).toHaveLength(3);
  });

  it('runs a chunk again when its setup failed, and never a record error', async () => {
    const recordError: ChunkResult = {
      type: 'error',
      error: { code: 'STEP_FAILED', message: 'bad record', step: 'map[0] (x)' },
      recordInChunk: 7,
      bug: false,
      index: 3,
      recordsIn: 7,
      recordsOut: 7,
    };
    const { pool, stats } = scriptedPool(2, (i, attempt) => (i === 1 && attempt === 1 ? setupThrew(i) : i === 3 ? recordError : partial(i)));
    const { seen } = await run(pool, 5, { attempts: 3 });
    // The record error is a result like any other: consumed once, in its place (the caller fails on it).
    expect(seen).toEqual([partial(0), partial(1), partial(2), recordError, partial(4)]);
    expect(stats.attempts.filter(([i]) => i === 3)).toEqual([[3, 1]]);
    expect(stats.attempts.filter(([i]) => i === 1)).toEqual([
      [1, 1],
      [1, 2],
    ]);
  });

  it('ends an attempt past chunk-timeout through its own signal (piscina ends its thread) and runs it again', async () => {
    const { pool, signals } = scriptedPool(2, (i, attempt) => (i === 1 && attempt === 1 ? 'hang' : partial(i)));
    const { seen, error } = await run(pool, 4, { attempts: 2, chunkTimeoutMs: 50 });
    expect(error).toBeUndefined();
    expect(seen).toEqual([partial(0), partial(1), partial(2), partial(3)]);
    // One signal per attempt: only the hung one was aborted.
    expect(signals).toHaveLength(5);
    expect(signals.filter((s) => s.aborted)).toHaveLength(1);
  });

  it('says a chunk ran past its timeout on every attempt', async () => {
    const { pool } = scriptedPool(2, (i) => (i === 0 ? 'hang' : partial(i)));
    const { error } = await run(pool, 3, { attempts: 2, chunkTimeoutMs: 1500 });
    expect(error?.code).toBe('CHUNK_FAILED');
    expect(error?.message).toBe('chunk 0 failed all 2 attempts, each time: it ran past chunk-timeout (1.5s) and its thread was ended');
    expect(error?.hint).toMatch(/^a step hangs on these records \(or in its setup\), or the chunk needs a longer retries\.chunk-timeout/);
  });

  it('with a timeout, has no more attempts in the pool than threads: the clock never counts a wait in the queue', async () => {
    const { pool, stats } = scriptedPool(3, (i) => partial(i));
    await run(pool, 30, { attempts: 1, chunkTimeoutMs: 10_000 });
    expect(stats.maxInFlight).toBe(3);
  });

  it('adds one listener to the run signal, not one per task (no MaxListeners warning at 6 workers)', async () => {
    const controller = new AbortController();
    let most = 0;
    const { pool } = scriptedPool(8, (i) => {
      most = Math.max(most, getEventListeners(controller.signal, 'abort').length);
      return partial(i);
    });
    const { error } = await run(pool, 64, { attempts: 3 }, controller.signal);
    expect(error).toBeUndefined();
    expect(most).toBe(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ends the attempts in flight when the run is interrupted', async () => {
    const controller = new AbortController();
    const { pool, signals } = scriptedPool(2, (i) => (i === 0 ? 'hang' : partial(i)));
    setTimeout(() => controller.abort('SIGINT'), 30);
    const { error } = await run(pool, 4, { attempts: 3 }, controller.signal);
    expect(error?.code).toBe('INTERRUPTED');
    expect(signals[0]!.aborted).toBe(true);
  });

  it('fails when the pool breaks outside any chunk, though the chunk it waits for never ends', async () => {
    const { pool } = scriptedPool(2, (i) => (i === 0 ? 'hang' : partial(i)));
    const broken = new FlowError({ code: 'WORKER_DIED', message: 'a worker thread failed outside any chunk: late' });
    const failing: ChunkPool = { ...pool, failed: new Promise<never>((_, reject) => setTimeout(() => reject(broken), 20)) };
    const { error } = await run(failing, 4, { attempts: 3 });
    expect(error).toBe(broken);
  });

  it('keeps no consumed chunk reachable from a pool.failed that never settles (a stream chunk holds its text)', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const { pool } = fakePool(2, () => 0);
    const failed = new Promise<never>(() => {});
    let collected = 0;
    const registry = new FinalizationRegistry(() => void collected++);
    function* big() {
      for (let i = 0; i < 40; i++) {
        const data = { text: 'x'.repeat(1 << 16) + i };
        registry.register(data, i);
        yield { data };
      }
    }
    await dispatch({ pool: { ...pool, failed }, chunks: big(), consume: () => {} });
    for (let i = 0; i < 5 && collected < 40; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(collected).toBe(40);
    void failed;
  });
});

describe('dispatch and signals', () => {
  it('sees a signal between chunks that run synchronously (in-process), not only after the last', async () => {
    // Like the in-process pool: each chunk is 20 ms of synchronous work, no thread, no I/O.
    const pool: ChunkPool = {
      threads: 1,
      async run(task: ChunkTask): Promise<ChunkResult> {
        for (const until = performance.now() + 20; performance.now() < until;);
        return { type: 'partial', acc: 0, index: task.chunk.index, recordsIn: 1, recordsOut: 1 };
      },
      destroy: async () => {},
    };
    const controller = new AbortController();
    // A signal's handler runs from the event loop, as this timer does.
    setTimeout(() => controller.abort('SIGTERM'), 50);
    let consumed = 0;
    const outcome = await dispatch({ pool, chunks: descriptors(200, { count: 0 }), signal: controller.signal, consume: () => void consumed++ }).catch(
      (e: unknown) => e,
    );
    expect(outcome).toBeInstanceOf(FlowError);
    expect((outcome as FlowError).toJSON()).toEqual({ code: 'INTERRUPTED', message: 'interrupted (SIGTERM); nothing was written' });
    expect(consumed).toBeLessThan(200);
  });

  it('sees a signal that came during the last synchronous chunk, before the caller writes the result', async () => {
    const pool: ChunkPool = {
      threads: 1,
      async run(task: ChunkTask): Promise<ChunkResult> {
        for (const until = performance.now() + 100; performance.now() < until;);
        return { type: 'partial', acc: 0, index: task.chunk.index, recordsIn: 1, recordsOut: 1 };
      },
      destroy: async () => {},
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 10);
    let consumed = 0;
    const outcome = await dispatch({ pool, chunks: descriptors(1, { count: 0 }), signal: controller.signal, consume: () => void consumed++ }).catch(
      (e: unknown) => e,
    );
    expect(consumed).toBe(1);
    expect((outcome as FlowError).toJSON()).toEqual({ code: 'INTERRUPTED', message: 'interrupted (SIGINT); nothing was written' });
  });
});
