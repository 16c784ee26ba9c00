// Opens the output step and hands it either the stream of mapped records or the reduce result.
import path from 'node:path';
import { FlowError } from '../contract/errors.js';
import type { OutputFormat, OutputSink, OutputStep, StepContext } from '../contract/step.js';
import { stepLabel, type Plan, type ResolvedStep } from '../contract/plan.js';
import { builtinModule } from '../../steps/registry.js';
import { formatFromPath } from '../../steps/kit/serialize/formats.js';
import type { RunOptions } from './types.js';

export async function openOutput(step: OutputStep, resolved: ResolvedStep, ctx: StepContext, streaming: boolean, held = false): Promise<OutputSink> {
  return step.open(resolved.options, { ...ctx, streaming, ...(streaming && held ? { held: true } : {}) });
}

/** An array result goes out as records (rows of a CSV, lines of NDJSON); anything else as one value. */
export async function writeResult(sink: OutputSink, value: unknown, resolved: ResolvedStep): Promise<void> {
  if (Array.isArray(value)) return sink.write(value);
  if (!sink.writeValue) {
    throw new FlowError({
      code: 'OUTPUT_FAILED',
      message: `output step "${resolved.name}" cannot write a single value (${typeof value}); it only takes records`,
      step: stepLabel(resolved),
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

/** Where a plan's output goes: a file (absolute path) or stdout, and in what format; undefined for a plugin's output. */
export interface OutputTarget {
  path?: string;
  stdout?: true;
  format: OutputFormat | 'parquet';
}

/** A file's format from its name: .parquet, or a text format (kit/serialize/formats.ts). */
function fileFormat(file: string): OutputFormat | 'parquet' | undefined {
  return /\.parquet$/i.test(file) ? 'parquet' : formatFromPath(file);
}

export function outputTarget(plan: Plan): OutputTarget | undefined {
  const { output } = plan;
  if (output.module === builtinModule('output', 'stdout')) return { stdout: true, format: (output.options.format as OutputFormat | undefined) ?? 'json' };
  if (output.module !== builtinModule('output', 'file')) return undefined;
  const file = path.resolve(plan.pipelineDir, output.options.path as string);
  return { path: file, format: (output.options.format as OutputFormat | 'parquet' | undefined) ?? fileFormat(file) ?? 'json' };
}

/**
 * `flow run -o PATH`: the plan with its output replaced by the file PATH (relative to `cwd`), its
 * format from the extension; `-` is stdout, in the pipeline's output format when it had one.
 */
export function redirectOutput(plan: Plan, target: string, cwd = process.cwd()): Plan {
  const kept = outputTarget(plan)?.format;
  const { exportName: _plugin, ...step } = plan.output;
  if (target === '-') {
    // Parquet is written to files only: stdout then gets its default, JSON.
    const format = kept === 'parquet' ? undefined : kept;
    return { ...plan, output: { ...step, name: 'stdout', module: builtinModule('output', 'stdout')!, options: format ? { format } : {} } };
  }
  const file = path.resolve(cwd, target);
  const format = fileFormat(file);
  if (format === undefined) {
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `-o ${target}: cannot tell the output format from ${path.extname(file) ? `the extension "${path.extname(file)}"` : 'a name without an extension'}`,
      hint: 'name the file .json, .ndjson, .jsonl, .csv or .parquet, or - for stdout',
    });
  }
  return { ...plan, output: { ...step, name: 'file', module: builtinModule('output', 'file')!, options: { path: file, format } } };
}

/**
 * A verdict that may still fail the run after records were produced (data checks, --strict, an error
 * budget): stdout then holds its records until the run succeeds. Otherwise they stream as they come.
 */
export function verdictPending(plan: Plan, options: Pick<RunOptions, 'strict'>): boolean {
  return (plan.checks?.length ?? 0) > 0 || options.strict === true || plan.onError.max !== undefined;
}
