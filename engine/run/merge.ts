// The main thread's half of a reducer: partials merged strictly in chunk order, then finished.
import type { ReduceStep, StepContext } from '../contract/step.js';
import type { ResolvedStep } from '../contract/plan.js';

export interface Merger {
  /** The partial accumulator of the next chunk, in chunk order. */
  merge(partial: unknown): void;
  finish(): unknown;
}

export function createMerger(step: ReduceStep, resolved: ResolvedStep, ctx: StepContext): Merger {
  const state = step.setup?.(resolved.options, ctx);
  let acc = step.init(state);
  return {
    merge(partial) {
      acc = step.merge(acc, partial, state);
    },
    finish: () => step.finish(acc, state),
  };
}
