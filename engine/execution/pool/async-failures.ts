// A step's asynchronous failure in a worker thread (an unhandled rejection, a throw in a timer) would
// otherwise pass silently: piscina's thread sits in Atomics.wait between tasks, so a timer or a rejection
// only surfaces if the thread turns its event loop. Each task turns it once at its end (settle), and the
// first failure caught since the last task (during this one, or a setup's while the thread was loading)
// becomes this task's error result, naming the step whose module threw when the stack tells. One
// failure is not a step's: a result piscina cannot clone (a record holding a function); the thread dies
// of it as Node would, so piscina fails that task instead of waiting for its answer forever.
import { fileURLToPath } from 'node:url';
import type { ResolvedStep } from '../../contract/plan.js';
import { turnEventLoop } from '../event-loop.js';
import type { ChunkResult, WorkerPlan } from '../messages.js';

type Kind = 'an unhandled promise rejection' | 'an uncaught error in a timer or callback';

export interface AsyncFailures {
  /** Lets the chunk's due timers and rejections run, then the first failure as an error result, if any. */
  settle(index: number): Promise<ChunkResult | undefined>;
}

export function watchAsyncFailures(plan: WorkerPlan): AsyncFailures {
  let first: { kind: Kind; thrown: unknown } | undefined;
  const caught = (kind: Kind) => (thrown: unknown) => {
    // Rethrown as an Error: a DOMException reaches the main thread as an empty object.
    if (thrown instanceof Error && thrown.name === 'DataCloneError') return dieOf(new Error(`a chunk's result cannot be sent back: ${thrown.message}`));
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

  return {
    async settle(index) {
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
    },
  };
}

/** The step whose module is the nearest frame of the stack, as `map[1] (./steps/x.mjs)`. */
export function stepOf(thrown: unknown, plan: Pick<WorkerPlan, 'source' | 'map' | 'reduce'>): string | undefined {
  const stack = thrown instanceof Error ? thrown.stack : undefined;
  if (!stack) return undefined;
  let best: { at: number; step: ResolvedStep } | undefined;
  for (const step of [plan.source, ...plan.map, ...(plan.reduce ? [plan.reduce] : [])]) {
    for (const name of moduleNames(step.module)) {
      const at = stack.indexOf(name);
      if (at >= 0 && (!best || at < best.at)) best = { at, step };
    }
  }
  return best && `${best.step.path} (${best.step.name})`;
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
