// The data checks on the main thread: the chunks' check states merged in chunk order, `unique`
// finished exactly, `rows` and `result` decided, and the verdict: outcomes for the summary, and the
// error that ends the run (exit 3) when an `error` check failed.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { processAlive } from '../../steps/kit/serialize/temp-files.js';
import os from 'node:os';
import path from 'node:path';
import { FlowError, FlowErrors } from '../contract/errors.js';
import type { ExprParams } from '../../steps/kit/expr/index.js';
import type { CheckOutcome, RunWarning } from '../contract/outcomes.js';
import type { CheckSpec, Plan } from '../contract/plan.js';
import type { Chunk } from '../contract/step.js';
import { absorbCheckState, emptyCheckState, isRecordCheck, type CheckState } from '../execution/checks/combiners.js';
import { compileResultExpr } from '../execution/checks/result-expr.js';
import { RepeatFinder } from '../execution/checks/repeats.js';
import { finishUnique } from '../execution/checks/unique.js';
import { locate, type SourceInfo } from '../execution/failure.js';
import type { WorkerPlan } from '../execution/messages.js';
import { allowedCount } from '../planning/checks/validate.js';
import { checkChunks, type CheckChunks } from './check-chunks.js';

export interface ChecksRun {
  /** What the workers need: the checks, and the folder for the unique checks' key bytes. */
  worker: Pick<WorkerPlan, 'checks' | 'checkSpill'>;
  /** A chunk's record-check states, in chunk order. */
  take(states: CheckState[] | undefined, chunk: Chunk): void;
  /** Every check's outcome, once every chunk is taken (and the result reduced, when there is one). */
  finish(recordsOut: number, result?: unknown): Promise<CheckOutcome[]>;
  /** Removes the spill folder; after the run, whatever its end. */
  close(): void;
}

const NO_HASHES = new Float64Array(0);

export function startChecks(plan: Plan, source: SourceInfo, params?: ExprParams): ChecksRun | undefined {
  const checks = plan.checks;
  if (!checks || checks.length === 0) return undefined;
  const records = checks.filter(isRecordCheck);
  const states = records.map((c) => emptyCheckState(c.kind === 'unique'));
  // unique: the first look at each block's hashes as it comes, while the workers read on.
  const finders = records.map((c) => (c.kind === 'unique' ? new RepeatFinder() : undefined));
  // Named with the pid, like the output's temp files.
  const spill = records.some((c) => c.kind === 'unique') ? openSpill() : undefined;
  // To locate examples once the run is over (a stream's chunks not in memory: check-chunks.ts).
  const chunks = checkChunks(spill);
  return {
    worker: { checks, ...(spill ? { checkSpill: spill } : {}) },
    take(taken, chunk) {
      taken?.forEach((t, i) => {
        const finder = finders[i];
        // The finder keeps the hashes; the blocks, kept to the end, need not.
        if (finder && t.blocks)
          for (const b of t.blocks) {
            finder.add(b.hashes);
            b.hashes = NO_HASHES;
          }
        absorbCheckState(states[i]!, t);
      });
      chunks.keep(chunk, states);
    },
    async finish(recordsOut, result) {
      const outcomes: CheckOutcome[] = [];
      for (const check of checks) {
        const state = isRecordCheck(check) ? states[records.indexOf(check)]! : undefined;
        let counts: { checked: number; failing: number; examples: Array<[number, number]>; detail?: string };
        if (check.kind === 'rows') counts = rowsCounts(check, recordsOut);
        else if (check.kind === 'result') counts = resultCounts(check, result, params);
        else if (check.kind === 'unique') counts = { checked: state!.checked, ...finishUnique(state!, finders[records.indexOf(check)]) };
        else counts = state!;
        outcomes.push(await outcome(check, counts, chunks, source));
      }
      return outcomes;
    },
    close() {
      if (spill) rmSync(spill, { recursive: true, force: true });
    },
  };
}

/** A fresh spill folder, named with this process's pid; those of processes that are gone (killed, crashed) are removed first. */
function openSpill(): string {
  const tmp = os.tmpdir();
  for (const name of readdirSync(tmp)) {
    const pid = Number(/^flow-unique-(\d+)-/.exec(name)?.[1] ?? NaN);
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
  return mkdtempSync(path.join(tmp, `flow-unique-${process.pid}-`));
}

function rowsCounts(check: Extract<CheckSpec, { kind: 'rows' }>, n: number) {
  const low = check.min !== undefined && n < check.min;
  const high = check.max !== undefined && n > check.max;
  const detail = low ? `, fewer than ${check.min}` : high ? `, more than ${check.max}` : '';
  return { checked: n, failing: low || high ? 1 : 0, examples: [], detail: `${records(n)} reached reduce/output${detail}` };
}

function resultCounts(check: Extract<CheckSpec, { kind: 'result' }>, result: unknown, params?: ExprParams) {
  let detail: string;
  let ok = false;
  try {
    ok = Boolean(compileResultExpr(check.expr, params)(result));
    detail = ok ? 'true on the final result' : 'false on the final result';
  } catch (error) {
    detail = `it failed on the final result: ${error instanceof Error ? error.message : String(error)}`;
  }
  return { checked: 1, failing: ok ? 0 : 1, examples: [], detail };
}

async function outcome(
  check: CheckSpec,
  counts: { checked: number; failing: number; examples: Array<[number, number]>; detail?: string },
  chunks: CheckChunks,
  source: SourceInfo,
): Promise<CheckOutcome> {
  const { checked, failing } = counts;
  const allowed = check.kind === 'rows' || check.kind === 'result' ? 0 : allowedCount(check.allow, checked);
  const passed = failing <= allowed;
  const examples: CheckOutcome['examples'] = [];
  // Located only for a failed check: it reads the chunk again up to the record.
  for (const [index, at] of passed ? [] : counts.examples) {
    const chunk = chunks.get(index);
    const found = chunk && (await locate(chunk, at, source));
    // A source that cannot tell (range): the record's place in its chunk still says which.
    examples.push(found && (found.file !== undefined || found.line !== undefined || found.index !== undefined) ? found : { index: at });
  }
  const verb =
    check.kind === 'unique' ? (failing === 1 ? "repeats an earlier record's key" : "repeat an earlier record's key") : failing === 1 ? 'fails' : 'fail';
  const said = counts.detail ?? `${failing} of ${records(checked)} ${verb} (${allowed} allowed)`;
  const first = examples.length > 0 ? `; ${examples.length === 1 ? 'the record' : `the first ${examples.length}`}: ${examples.map(origin).join(', ')}` : '';
  const message = `check "${check.name}" ${passed ? 'passed' : 'failed'}: ${said}${passed ? '' : first}`;
  return {
    name: check.name,
    kind: check.kind,
    severity: check.severity,
    passed,
    checked,
    failing,
    allowed,
    examples,
    ...(check.location ? { location: check.location } : {}),
    message,
  };
}

function origin(e: CheckOutcome['examples'][number]): string {
  if (e.file !== undefined) return e.line !== undefined ? `${e.file}:${e.line}` : e.row !== undefined ? `${e.file} row ${e.row}` : e.file;
  return e.line !== undefined ? `line ${e.line}` : `record ${e.index}`;
}

function records(n: number): string {
  return `${n} record${n === 1 ? '' : 's'}`;
}

/** The error that ends the run when an `error` check failed; undefined when none did. */
export function checksFailed(outcomes: CheckOutcome[], plan: Plan): FlowError | FlowErrors | undefined {
  // Outcomes are in the order of plan.checks.
  const failed = outcomes.map((o, i) => ({ o, check: plan.checks![i] })).filter(({ o }) => !o.passed && o.severity === 'error');
  const errors = failed.map(({ o, check }) => {
    return new FlowError({
      code: 'CHECK_FAILED',
      message: o.message,
      ...(o.location ? { location: o.location } : {}),
      ...(check ? { path: check.path } : {}),
      hint: 'nothing was written; fix the data or the pipeline, or allow some failing records (allow:) or make the check a warning (severity: warn)',
    });
  });
  return errors.length === 0 ? undefined : errors.length === 1 ? errors[0] : new FlowErrors(errors);
}

/** The failed `warn` checks, as the run's warnings (printed like errors; `--strict` makes them exit 3). */
export function checkWarnings(outcomes: CheckOutcome[]): RunWarning[] {
  return outcomes
    .filter((o) => !o.passed && o.severity === 'warn')
    .map((o) => ({
      code: 'CHECK_FAILED',
      message: o.message,
      ...(o.location ? { location: o.location } : {}),
      hint: 'a warn check: the run goes on (severity: error makes it fail the run)',
    }));
}
