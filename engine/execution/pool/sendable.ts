// A chunk whose result cannot be cloned back to the main thread (a map returned a function or a
// symbol, a reducer kept one in its accumulator) is no worker's death: it fails the same way every
// time. The thread dies of it once (async-failures.ts); the chunk is then run once more with every
// record it hands back cloned on the way, so the record is named at its file:line (or rejected,
// under on-error) like a record a step threw on, and nothing is retried.
import { FlowError } from '../../contract/errors.js';
import { stepLabel, type ResolvedStep } from '../../contract/plan.js';
import type { ChunkResult, WorkerPlan } from '../messages.js';
import { StepFailure, type Program } from '../program.js';

/** The program of a checked run: without a reducer, a record that cannot be cloned fails at the sink. */
export async function sendableProgram(program: Promise<Program>, plan: WorkerPlan): Promise<Program> {
  const loaded = await program;
  if (plan.reduce) return loaded;
  const last = plan.map.at(-1) ?? plan.source;
  return {
    ...loaded,
    pipe: (sink, ...rest) =>
      loaded.pipe(
        (record) => {
          try {
            structuredClone(record);
          } catch (cause) {
            throw new StepFailure(last, unsendable(cause, 'a record'));
          }
          sink(record);
        },
        ...rest,
      ),
  };
}

/** The result of a checked run, or its error when it still cannot be cloned (a reducer's accumulator). */
export function sendableResult(result: ChunkResult, plan: WorkerPlan): ChunkResult {
  if (result.type === 'error' || result.type === 'numbers') return result;
  try {
    structuredClone(result);
    return result;
  } catch (cause) {
    const step: ResolvedStep = plan.reduce ?? plan.map.at(-1) ?? plan.source;
    const error = unsendable(cause, plan.reduce ? "the reducer's accumulator" : 'a record');
    const { index, recordsIn, recordsOut } = result;
    return { type: 'error', error: { ...error.toJSON(), step: stepLabel(step) }, bug: false, index, recordsIn, recordsOut };
  }
}

function unsendable(cause: unknown, what: string): FlowError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new FlowError({
    code: 'STEP_FAILED',
    message: `${what} it returned cannot be sent between threads: ${why}`,
    hint: 'records and accumulators must be plain data (no functions, symbols or class instances with native state); this fails the same way every time, so it is not retried',
  });
}
