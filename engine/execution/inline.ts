// The chunk pool of a job that runs in this process (planning/schedule.ts decides when): the same
// program as a worker's, loaded once, with no thread to start.
import { runLoaded } from './chunk-runner.js';
import type { WorkerPlan } from './messages.js';
import type { ChunkPool } from './pool/pool.js';
import { loadProgram, type Program } from './program.js';

export function createInlinePool(plan: WorkerPlan): ChunkPool {
  let program: Promise<Program> | undefined;
  return {
    threads: 1,
    async run(task) {
      program ??= loadProgram(plan);
      const result = await runLoaded(program, plan, task);
      // Set up anew for the retry. There is no thread to end here: chunk-timeout cannot stop a chunk.
      if (result.type === 'error' && result.setup) program = undefined;
      return result;
    },
    destroy: async () => {},
  };
}
