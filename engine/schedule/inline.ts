// A tiny job of built-in steps only (one small chunk, or a few million numbers that go through
// every step in bulk) runs in-process: starting a worker thread would cost more than the work.
// Plugins always run in worker threads, where a crash or a process.exit cannot take the run down.
import { builtinModule } from '../builtins.js';
import type { Plan } from '../plan.js';
import type { MapStep, ReduceStep, SourcePlan } from '../step.js';
import { loadRuntime, runLoaded, type Runtime } from './chunk-runner.js';
import type { WorkerPlan } from './messages.js';
import type { ChunkPool } from './pool.js';

const TINY_RECORDS = 100_000;
const TINY_BYTES = 1 << 20;
// Numbers in bulk cost a few nanoseconds each (range, transform, sum: about 5 ns here), so this many
// take about as long as one worker thread needs to start and load its steps (about 40 ms).
const BULK_NUMBERS = 4_000_000;

/** Whether every chunk goes through every step as one Float64Array (see MapStep.mapMany). */
export function runsInBulk(sourcePlan: SourcePlan, maps: { step: MapStep; options: unknown }[], reducer: ReduceStep | undefined): boolean {
  return (
    sourcePlan.numbers === true &&
    maps.every(({ step, options }) => step.mapMany && step.keepsNumbers?.(options) === true) &&
    (!reducer || reducer.addMany !== undefined)
  );
}

export function runsInline(plan: Plan, total: SourcePlan['total'], bulk = false): boolean {
  // No chunks at all: nothing to start a thread for.
  if (total?.chunks === 0) return true;
  const steps = [plan.source, ...plan.map, ...(plan.reduce ? [plan.reduce] : [])];
  if (!steps.every((step) => builtinModule(step.kind, step.name) === step.module)) return false;
  if (bulk && (total?.records ?? Infinity) <= BULK_NUMBERS) return true;
  if (total?.chunks !== 1) return false;
  return (total.records ?? Infinity) <= TINY_RECORDS || (total.bytes ?? Infinity) <= TINY_BYTES;
}

export function createInlinePool(plan: WorkerPlan): ChunkPool {
  let runtime: Promise<Runtime> | undefined;
  return {
    threads: 1,
    async run(task) {
      runtime ??= loadRuntime(plan);
      return runLoaded(runtime, plan, task);
    },
    destroy: async () => {},
  };
}
