// Opens the output step and hands it either the stream of mapped records or the reduce result.
import { FlowError } from '../contract/errors.js';
import type { OutputSink, OutputStep, StepContext } from '../contract/step.js';
import type { ResolvedStep } from '../contract/plan.js';

export async function openOutput(step: OutputStep, resolved: ResolvedStep, ctx: StepContext, streaming: boolean): Promise<OutputSink> {
  return step.open(resolved.options, { ...ctx, streaming });
}

/** An array result goes out as records (rows of a CSV, lines of NDJSON); anything else as one value. */
export async function writeResult(sink: OutputSink, value: unknown, resolved: ResolvedStep): Promise<void> {
  if (Array.isArray(value)) return sink.write(value);
  if (!sink.writeValue) {
    throw new FlowError({
      code: 'OUTPUT_FAILED',
      message: `output step "${resolved.name}" cannot write a single value (${typeof value}); it only takes records`,
      step: `${resolved.path} (${resolved.name})`,
    });
  }
  return sink.writeValue(value);
}

/** No output step (the programmatic API's `output: false`): mapped records are kept for the caller. */
export function memorySink(records: unknown[]): OutputSink {
  return {
    write: (batch) => {
      for (const record of batch) records.push(record);
    },
    writeValue: () => {},
    commit: async () => {},
    abort: async () => {},
  };
}
