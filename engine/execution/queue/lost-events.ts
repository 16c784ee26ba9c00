// A completion is learned from the queue's events stream, which BullMQ trims (about 10,000 events).
// Should a coordinator fall so far behind that its job's event is trimmed away unread, the job would
// be gone (removeOnComplete) with nobody told: this watch finds such jobs and fails their attempt,
// so retry.ts runs the chunk again. A result thus never depends on the stream's length.
import type { Queue } from 'bullmq';

/** Every `everyMs`, a job still awaited whose id BullMQ no longer knows, twice in a row, is reported lost. */
export function watchLostEvents(queue: Queue, awaited: () => Iterable<string>, lost: (jobId: string) => void, everyMs: number): () => void {
  let suspects = new Set<string>();
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void (async () => {
      const gone = new Set<string>();
      for (const id of awaited()) if ((await queue.getJobState(id).catch(() => 'error')) === 'unknown') gone.add(id);
      // Twice, `everyMs` apart: an event read once a second cannot still be on its way.
      for (const id of gone) if (suspects.has(id)) lost(id);
      suspects = gone;
    })().finally(() => (checking = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
