// Stage timings for the report: an observer that notes when each stage starts and ends and passes
// every call on to the progress display.
import { performance } from 'node:perf_hooks';
import type { RunObserver, StageName } from '../../../contract/observer.js';

export type TimedObserver = RunObserver & { stages(): Partial<Record<StageName, number>> };

export function timeStages(inner: RunObserver): TimedObserver {
  const began = new Map<StageName, number>();
  const took: Partial<Record<StageName, number>> = {};
  return {
    stageStart(stage) {
      began.set(stage, performance.now());
      inner.stageStart(stage);
    },
    stageEnd(stage, ok) {
      const start = began.get(stage);
      if (start !== undefined) took[stage] = Math.round(performance.now() - start);
      inner.stageEnd(stage, ok);
    },
    progress: (snapshot) => inner.progress(snapshot),
    notice: (line) => inner.notice?.(line),
    stages: () => ({ ...took }),
  };
}
