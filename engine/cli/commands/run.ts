// flow run PIPELINE: progress on stderr, the result on stdout (or the output step's file).
import { exitCodeOf, FlowError, interrupted } from '../../contract/errors.js';
import type { Plan } from '../../contract/plan.js';
import { preparePipeline } from '../../planning/prepare.js';
import { executePlan, summaryOf } from '../../run/run.js';
import type { RunOptions, RunResult } from '../../run/types.js';
import { outputTarget, redirectOutput, verdictPending } from '../../run/output.js';
import { createProgress, progressMode } from '../progress.js';
import { buildReport, describeOutputs, recordsWritten, shownPath, timeStages, writeReport, type ReportInput } from './report/index.js';
import { githubActions, reportToGithub } from '../github/index.js';
import { parseSetArgs, parseWorkers } from './args.js';
import { printError, readSourceCached } from './sources.js';
import { printWarnings } from '../warnings.js';
import { ownVersion } from './version.js';
import { parseQueueUrl } from './worker.js';
import { queuePrefix } from '../../execution/queue/settings.js';
import { removeLiveTempsSync } from '../../../steps/kit/serialize/temp-files.js';

// The first signal aborts the run: the output's temp file is removed, an older output kept, the
// threads ended. A second signal, or a run still going GRACE_MS after the first, exits at once,
// removing the temp files first. 128 + the signal's number, as shells report it.
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const GRACE_MS = 1500;

export interface RunFlags {
  set?: string[];
  workers?: string;
  output?: string;
  report?: string;
  strict?: boolean;
  quiet?: boolean;
  'allow-plugin-path'?: string[];
  queue?: string;
  'queue-prefix'?: string;
}

export async function runCommand(positionals: string[], flags: RunFlags): Promise<number> {
  if (positionals.length !== 1) {
    throw new FlowError({ code: 'BAD_ARGS', message: `flow run takes one pipeline file, got ${positionals.length}`, hint: 'flow run pipelines/squares.yaml' });
  }
  const file = positionals[0]!;
  const set = parseSetArgs(flags.set ?? []);
  const workers = flags.workers === undefined ? undefined : parseWorkers(flags.workers);
  const queue = flags.queue === undefined ? undefined : { url: parseQueueUrl(flags.queue, 'run'), prefix: queuePrefix(flags['queue-prefix'], process.env) };
  const progress = createProgress({ mode: progressMode({ quiet: flags.quiet ?? false, stderr: process.stderr, env: process.env }), title: file });
  const observer = timeStages(progress);
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
  let plan: Plan | undefined;
  let params: Record<string, unknown> | undefined;
  let outcome: RunResult | undefined;
  let failure: { error: unknown } | undefined;
  try {
    const options: RunOptions = {
      set,
      ...(workers !== undefined ? { workers } : {}),
      allowPluginPaths: flags['allow-plugin-path'] ?? [],
      observer,
      signal: controller.signal,
      output: true,
      ...(flags.strict ? { strict: true } : {}),
      ...(queue ? { queue } : {}),
    };
    const prepared = await preparePipeline(file, options);
    params = prepared.spec.params;
    plan = flags.output === undefined ? prepared.plan : redirectOutput(prepared.plan, flags.output);
    outcome = await executePlan(plan, options);
    await progress.close(true, wroteLine(plan, outcome));
    printWarnings(outcome.summary.warnings, readSourceCached);
    return 0;
  } catch (error) {
    failure = { error };
    await progress.close(false);
    if (plan) noteStreamedRecords(plan, summaryOf(error)?.recordsOut ?? 0, flags.strict === true);
    printWarnings(summaryOf(error)?.warnings, readSourceCached);
    throw error;
  } finally {
    settled = true;
    for (const signal of signals) process.off(signal, onSignal);
    const github = githubActions();
    if (flags.report || github) {
      const summary = outcome?.summary ?? (failure ? summaryOf(failure.error) : undefined);
      const input: ReportInput = {
        file,
        version: ownVersion(),
        started,
        ...(params ? { params } : {}),
        ...(summary ? { summary } : {}),
        stages: observer.stages(),
        // The files are read back for their sha256 only for a --report.
        outputs: plan ? await describeOutputs(plan, outcome, process.cwd(), flags.report !== undefined) : [],
        ...(failure ? { error: failure.error } : {}),
      };
      const report = flags.report ? await writeReport(flags.report, input) : buildReport(input);
      if (github) reportToGithub(report, report);
    }
  }
}

/** `wrote 12 records to out/delays.csv`, for the progress's last line. */
function wroteLine(plan: Plan, outcome: RunResult): string | undefined {
  const target = outputTarget(plan);
  if (target === undefined) return undefined;
  const where = target.path !== undefined ? shownPath(target.path, process.cwd()) : 'stdout';
  if (plan.reduce && !Array.isArray(outcome.result)) return `wrote the result to ${where}`;
  const n = recordsWritten(plan, outcome);
  return `wrote ${n} record${n === 1 ? '' : 's'} to ${where}`;
}

/** Records already streamed to stdout cannot be taken back: a failed run says so (before its error). */
function noteStreamedRecords(plan: Plan, recordsOut: number, strict: boolean): void {
  const target = outputTarget(plan);
  if (!target?.stdout || plan.reduce || recordsOut === 0 || verdictPending(plan, { strict })) return;
  process.stderr.write(
    `note: standard output already has ${recordsOut} record${recordsOut === 1 ? '' : 's'} of this failed run, an incomplete ${target.format} output ` +
      '(records stream to stdout as they come; -o FILE writes all or nothing)\n',
  );
}
