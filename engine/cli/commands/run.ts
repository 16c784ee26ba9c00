// flow run PIPELINE: progress on stderr, the result on stdout (or the output step's file).
import { exitCodeOf, FlowError, interrupted } from '../../contract/errors.js';
import { runPipeline, type RunResult } from '../../run/run.js';
import { createProgress, progressMode } from '../progress.js';
import { writeReport } from './report.js';
import { parseSetArgs, parseWorkers } from './args.js';
import { printError } from './sources.js';
import { removeLiveTempsSync } from '../../../steps/kit/serialize/temp-files.js';

// The first signal aborts the run: the output's temp file is removed, an older output kept, the
// threads ended. A second signal, or a run still going GRACE_MS after the first, exits at once,
// removing the temp files first. 128 + the signal's number, as shells report it.
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const GRACE_MS = 1500;

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
  let settled = false;
  const exitNow = () => {
    removeLiveTempsSync();
    const error = interrupted(controller.signal.reason);
    // Once the run has ended its error is printed already (something still holds the process open).
    process.exit(settled ? (process.exitCode ?? exitCodeOf(error)) : printError(error));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) exitNow();
    // The terminal is gone: writing to it may fail (EIO), which must not change how the run ends.
    if (signal === 'SIGHUP') for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
    controller.abort(signal);
    setTimeout(exitNow, GRACE_MS).unref();
  };
  for (const signal of signals) process.on(signal, onSignal);
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
    settled = true;
    for (const signal of signals) process.off(signal, onSignal);
    if (flags.report && outcome) await writeReport(flags.report, { file, started, summary: outcome.summary });
  }
}
