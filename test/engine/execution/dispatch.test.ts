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

  it('turns a dead worker into WORKER_DIED naming the chunk', async () => {
    const { pool } = fakePool(
      2,
      () => 1,
      (i) => i === 3,
    );
    const error = await dispatch({ pool, chunks: descriptors(10, { count: 0 }), consume: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowError);
    expect((error as FlowError).code).toBe('WORKER_DIED');
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
