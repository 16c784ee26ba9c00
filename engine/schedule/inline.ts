// A tiny job of built-in steps only (one small chunk) runs in-process: starting a worker thread
// would cost more than the work. Plugins always run in worker threads, where a crash or a
// process.exit cannot take the run down with it.
import { builtinModule } from '../builtins.js';
import type { Plan } from '../plan.js';
import type { SourcePlan } from '../step.js';
import { loadRuntime, runLoaded, type Runtime } from './chunk-runner.js';
import type { WorkerPlan } from './messages.js';
import type { ChunkPool } from './pool.js';

const TINY_RECORDS = 100_000;
const TINY_BYTES = 1 << 20;

export function runsInline(plan: Plan, total: SourcePlan['total']): boolean {
  // No chunks at all: nothing to start a thread for.
  if (total?.chunks === 0) return true;
  if (total?.chunks !== 1) return false;
  const small = (total.records ?? Infinity) <= TINY_RECORDS || (total.bytes ?? Infinity) <= TINY_BYTES;
  const steps = [plan.source, ...plan.map, ...(plan.reduce ? [plan.reduce] : [])];
  return small && steps.every((step) => builtinModule(step.kind, step.name) === step.module);
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
