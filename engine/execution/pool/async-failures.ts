// A step's asynchronous failure in a worker thread (an unhandled rejection, a throw in a timer) would
// otherwise pass silently: piscina's thread sits in Atomics.wait between tasks, so a timer or a rejection
// only surfaces if the thread turns its event loop. Each task turns it once at its end (settle), and the
// first failure caught since the last task (during this one, or a setup's while the thread was loading)
// becomes this task's error result, naming the step whose module threw when the stack tells. One
// failure is not a step's: a result piscina cannot clone (a record holding a function); the thread dies
// of it as Node would, so piscina fails that task instead of waiting for its answer forever, and the
// chunk is run once more to name the record (sendable.ts).
import { fileURLToPath } from 'node:url';
import { runSteps, stepLabel, type ResolvedStep } from '../../contract/plan.js';
import { turnEventLoop } from '../event-loop.js';
import type { ChunkResult, WorkerPlan } from '../messages.js';

type Kind = 'an unhandled promise rejection' | 'an uncaught error in a timer or callback';

export interface AsyncFailures {
  /** Lets the chunk's due timers and rejections run, then the first failure as an error result, if any. */
  settle(index: number): Promise<ChunkResult | undefined>;
  /**
   * After the run's last chunk: lets the thread's pending timers fire (up to `ms`, polling), then the
   * first failure as an error result, if any: a step's timer that throws late fails the run too.
   */
  drain(ms: number): Promise<ChunkResult | undefined>;
  /** No more watching: the thread goes on to another plan (a shared pool's next run). */
  stop(): void;
}

export function watchAsyncFailures(plan: WorkerPlan): AsyncFailures {
  let first: { kind: Kind; thrown: unknown } | undefined;
  const caught = (kind: Kind) => (thrown: unknown) => {
    // Rethrown as an Error: a DOMException reaches the main thread as an empty object.
    // Marked: the main thread runs the chunk once more to name the record (sendable.ts), not as a retry.
    if (thrown instanceof Error && thrown.name === 'DataCloneError')
      return dieOf(Object.assign(new Error(`a chunk's result cannot be sent back: ${thrown.message}`), { unsendable: true }));
    first ??= { kind, thrown };
  };
  const onException = caught('an uncaught error in a timer or callback');
  const onRejection = caught('an unhandled promise rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  const dieOf = (thrown: unknown) => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
    queueMicrotask(() => {
      throw thrown;
    });
  };

  const settle = async (index: number): Promise<ChunkResult | undefined> => {
    // The first turn runs the check phase, the second the timers that came due meanwhile; rejections
    // are reported after each turn's microtasks. No delay: a chunk waits microseconds.
    await turnEventLoop();
    if (!first) return undefined;
    const { kind, thrown } = first;
    first = undefined;
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    const step = stepOf(thrown, plan);
    return {
      type: 'error',
      error: {
        code: 'STEP_FAILED',
        message: `${kind}: ${message}`,
        ...(step ? { step } : {}),
        hint: "a step's map (or setup) must finish its work before it returns: await it, or catch its errors",
      },
      bug: false,
      index,
      recordsIn: 0,
      recordsOut: 0,
    };
  };

  return {
    settle,
    stop() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
    async drain(ms) {
      const until = performance.now() + ms;
      // An idle thread holds its message ports only: a Timeout is a step's timer still to fire.
      while (!first && process.getActiveResourcesInfo().includes('Timeout') && performance.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return settle(-1);
    },
  };
}

/** The step whose module is the nearest frame of the stack, as `map[1] (./steps/x.mjs)`. */
export function stepOf(thrown: unknown, plan: Pick<WorkerPlan, 'source' | 'map' | 'reduce'>): string | undefined {
  const stack = thrown instanceof Error ? thrown.stack : undefined;
  if (!stack) return undefined;
  let best: { at: number; step: ResolvedStep } | undefined;
  for (const step of runSteps(plan)) {
    for (const name of moduleNames(step.module)) {
      const at = stack.indexOf(name);
      if (at >= 0 && (!best || at < best.at)) best = { at, step };
    }
  }
  return best && stepLabel(best.step);
}

/** How a module appears in a stack: its URL (ESM) or its path (CommonJS). */
function moduleNames(module: string): string[] {
  if (!module.startsWith('file:')) return [];
  try {
    return [module, fileURLToPath(module)];
  } catch {
    return [module];
  }
}
