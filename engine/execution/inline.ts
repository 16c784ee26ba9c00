// A tiny job of built-in steps only (one small chunk, or up to some millions of numbers that go
// through every step in bulk) runs in-process: starting worker threads would cost more than they save.
// Plugins always run in worker threads, where a crash or a process.exit cannot take the run down.
import { builtinModule } from '../../steps/registry.js';
import type { Plan } from '../contract/plan.js';
import type { MapStep, ReduceStep, SourcePlan } from '../contract/step.js';
import { loadRuntime, runLoaded, type Runtime } from './chunk-runner.js';
import type { WorkerPlan } from './messages.js';
import type { ChunkPool } from './pool/pool.js';

const TINY_RECORDS = 100_000;
const TINY_BYTES = 1 << 20;
// In bulk a number costs 3.5 ns (random, mean) to 12 ns (range, transform r * r, sum) in-process
// here, and a pool about 0.1 s more (threads starting, each compiling its hot code). On w threads the
// work divides by w, so in-process is faster up to BULK_BREAK_EVEN * w / (w - 1) numbers at the
// dearer rate: 16M for 2 workers. Measured on 2 cores: 8M squares summed 125 ms in-process vs 190 ms
// on 2 threads, 16M 220 vs 251 ms; the mean of 10M random numbers 0.13 s vs 0.19 s.
const BULK_BREAK_EVEN = 8_000_000;

/** The most numbers a bulk job runs in-process with: with one worker a thread never pays off. */
export function bulkInlineLimit(workers: number): number {
  return workers <= 1 ? Infinity : (BULK_BREAK_EVEN * workers) / (workers - 1);
}

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
  if (bulk && (total?.records ?? Infinity) <= bulkInlineLimit(plan.workers)) return true;
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
