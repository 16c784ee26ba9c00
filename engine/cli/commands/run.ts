// flow run PIPELINE: progress on stderr, the result on stdout (or the output step's file).
import { FlowError } from '../../contract/errors.js';
import { runPipeline, type RunResult } from '../../run/run.js';
import { createProgress, progressMode } from '../progress.js';
import { writeReport } from './report.js';
import { parseSetArgs, parseWorkers } from './args.js';

export interface RunFlags {
  set?: string[];
  workers?: string;
  report?: string;
  quiet?: boolean;
  'allow-plugin-path'?: string[];
}

export async function runCommand(positionals: string[], flags: RunFlags): Promise<number> {
  if (positionals.length !== 1) {
    throw new FlowError({ code: 'BAD_ARGS', message: `flow run takes one pipeline file, got ${positionals.length}`, hint: 'flow run pipelines/squares.yaml' });
  }
  const file = positionals[0]!;
  const set = parseSetArgs(flags.set ?? []);
  const workers = flags.workers === undefined ? undefined : parseWorkers(flags.workers);
  const progress = createProgress({ mode: progressMode({ quiet: flags.quiet ?? false, stderr: process.stderr, env: process.env }), title: file });
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  const started = Date.now();
  let outcome: RunResult | undefined;
  try {
    const allowPluginPaths = flags['allow-plugin-path'] ?? [];
    outcome = await runPipeline(file, { set, ...(workers !== undefined ? { workers } : {}), allowPluginPaths, observer: progress, signal: controller.signal });
    await progress.close(true);
    return 0;
  } catch (error) {
    await progress.close(false);
    if (flags.report) await writeReport(flags.report, { file, started, error });
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    if (flags.report && outcome) await writeReport(flags.report, { file, started, summary: outcome.summary });
  }
}
