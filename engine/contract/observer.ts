// What a run tells whoever watches it (the CLI's progress display, a report): stages and counters.

export type StageName = 'validate' | 'resolve' | 'run' | 'reduce' | 'write';
export const stageNames: readonly StageName[] = ['validate', 'resolve', 'run', 'reduce', 'write'];

export interface ProgressSnapshot {
  chunksDone: number;
  chunksTotal?: number;
  records: number;
  bytes: number;
  /** Records skipped or dead-lettered so far (on-error), when there are any. */
  rejected?: number;
  elapsedMs: number;
}

export interface RunObserver {
  stageStart(stage: StageName): void;
  stageEnd(stage: StageName, ok: boolean): void;
  /** Called often (per chunk); rendering is throttled by the observer. */
  progress(snapshot: ProgressSnapshot): void;
  /** A line worth saying once while the run goes on (`waiting for flow workers on ...`), shown as it is. */
  notice?(line: string): void;
}
