import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Queue } from 'bullmq';
import { watchLostEvents } from '../../../../engine/execution/queue/lost-events.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('watchLostEvents', () => {
  it('reports a job BullMQ no longer knows only when two checks in a row found it gone', async () => {
    const states = new Map<string, string>([
      ['r-0', 'active'],
      ['r-1', 'unknown'],
    ]);
    const queue = { getJobState: async (id: string) => states.get(id) ?? 'unknown' } as unknown as Queue;
    const lost: string[] = [];
    const stop = watchLostEvents(
      queue,
      () => [...states.keys()],
      (id) => lost.push(id),
      100,
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(lost).toEqual([]);
    // r-1's event arrived after all (it is no longer awaited); r-0 finishes and its event is lost.
    states.delete('r-1');
    states.set('r-0', 'unknown');
    await vi.advanceTimersByTimeAsync(100);
    expect(lost).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(lost).toEqual(['r-0']);
    stop();
  });
});
