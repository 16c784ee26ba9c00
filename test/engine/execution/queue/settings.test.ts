import { describe, expect, it } from 'vitest';
import { jobId, queueWindow, shownUrl, workerTimings } from '../../../../engine/execution/queue/settings.js';

describe('queue settings', () => {
  it('shows a URL without its password', () => {
    expect(shownUrl('redis://:s3cret@10.0.0.5:6379')).toBe('redis://:***@10.0.0.5:6379');
    expect(shownUrl('rediss://ana:s3cret@redis.example/2')).toBe('rediss://ana:***@redis.example/2');
    expect(shownUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('keeps twice the worker threads present in flight, at least 4, unless FLOW_QUEUE_WINDOW says', () => {
    expect(queueWindow(0, {})).toBe(4);
    expect(queueWindow(1, {})).toBe(4);
    expect(queueWindow(6, {})).toBe(12);
    expect(queueWindow(6, { FLOW_QUEUE_WINDOW: '3' })).toBe(3);
    expect(queueWindow(6, { FLOW_QUEUE_WINDOW: 'x' })).toBe(12);
  });

  it('names jobs without a colon (BullMQ refuses one in a custom id)', () => {
    expect(jobId('mxabc123', 7)).toBe('mxabc123-7');
  });

  it('reads the stall timings from the environment, with the documented defaults', () => {
    expect(workerTimings({})).toEqual({ lockMs: 10_000, stalledMs: 5_000, poolIdleMs: 30_000 });
    expect(workerTimings({ FLOW_QUEUE_LOCK_MS: '2000', FLOW_QUEUE_STALLED_MS: '1000' })).toMatchObject({ lockMs: 2000, stalledMs: 1000 });
  });
});
