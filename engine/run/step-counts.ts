// Records into and out of each step, for the report: the workers count what each map step but the
// last hands on, per chunk (ChunkResult.steps); the rest follows from the run's own counters.
import type { Plan } from '../contract/plan.js';
import type { ChunkResult } from '../execution/messages.js';

export interface StepCount {
  /** `source`, `map[1]`, `reduce`. */
  step: string;
  /** The step as written: `file`, `filter`, `./steps/x.ts`. */
  name: string;
  recordsIn?: number;
  recordsOut?: number;
  /** Records it set aside (on-error skip or dead-letter). */
  rejected?: number;
}

export interface StepTally {
  /** Records handed on by map[i], for every map step but the last. */
  handedOn: number[];
  /** Rejections by step: `source` or a map step's path. */
  rejected: Map<string, number>;
}

export function stepTally(plan: Plan): StepTally {
  return { handedOn: new Array<number>(Math.max(0, plan.map.length - 1)).fill(0), rejected: new Map() };
}

/** Adds a chunk's counts (records and numbers alike: the counts do not depend on the form). */
export function tallyChunk(tally: StepTally, result: ChunkResult): void {
  if (result.steps) for (let i = 0; i < result.steps.length; i++) tally.handedOn[i]! += result.steps[i]!;
  if (result.rejected) for (const r of result.rejected) tally.rejected.set(r.step, (tally.rejected.get(r.step) ?? 0) + 1);
}

export function stepCounts(plan: Plan, tally: StepTally, recordsIn: number, recordsOut: number): StepCount[] {
  const rejected = (step: string) => {
    const n = tally.rejected.get(step);
    return n ? { rejected: n } : {};
  };
  const read = recordsIn - (tally.rejected.get('source') ?? 0);
  const counts: StepCount[] = [{ step: 'source', name: plan.source.name, recordsOut: read, ...rejected('source') }];
  plan.map.forEach((step, i) => {
    const recordsIn = i === 0 ? read : tally.handedOn[i - 1]!;
    const out = i === plan.map.length - 1 ? recordsOut : tally.handedOn[i]!;
    counts.push({ step: step.path, name: step.name, recordsIn, recordsOut: out, ...rejected(step.path) });
  });
  if (plan.reduce) counts.push({ step: 'reduce', name: plan.reduce.name, recordsIn: recordsOut });
  return counts;
}
