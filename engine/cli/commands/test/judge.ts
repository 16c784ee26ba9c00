// A test's verdict from its two runs: the same outcome for both chunkings, then what the test expects.
import { exitCodeOf, type FlowError } from '../../../contract/errors.js';
import type { CheckOutcome } from '../../../contract/outcomes.js';
import { align, lineDiff, pretty } from './diff.js';
import type { ExpectError, TestCase } from './load.js';
import { errorsOf, signature, type RunTwice } from './run-twice.js';

export interface Verdict {
  passed: boolean;
  /** One line saying why it failed. */
  reason?: string;
  /** The diff or the error, several lines. */
  details?: string;
  /** The pipeline or the input is invalid (exit 2) and the test did not expect it. */
  invalid?: boolean;
  /** The one-chunk result, when the run succeeded and both runs agree (for --update). */
  result?: { value: unknown };
}

export function judge(test: TestCase, runs: RunTwice, describe: (error: unknown) => string): Verdict {
  const { one, many } = runs;
  const a = signature(one, pretty);
  const b = signature(many, pretty);
  if (a !== b) {
    return {
      passed: false,
      reason: `result depends on chunking: one chunk and ${many.chunks} chunks on 2 threads differ`,
      details: lineDiff(a, b, ['one chunk', `${many.chunks} chunks on 2 threads`]),
    };
  }
  const checks = one.checks ?? [];
  const failures: Verdict[] = [];
  const expected = test.expectError !== undefined || (test.expectChecks !== undefined && errorsOf(one.error).every((e) => e.code === 'CHECK_FAILED'));
  if (one.error !== undefined && !expected) {
    return { passed: false, reason: 'the run failed', details: describe(one.error), ...(exitCodeOf(one.error) === 2 ? { invalid: true } : {}) };
  }
  if (test.expectError) failures.push(judgeError(test.expectError, one.error, one.result, describe));
  if (test.expectChecks) failures.push(judgeChecks(test.expectChecks.failed, checks));
  if (test.expect) {
    if (!one.result) failures.push({ passed: false, reason: 'expected a result, but the run failed', details: describe(one.error) });
    else {
      const want = pretty(test.expect.value);
      const got = pretty(align(one.result.value, test.expect.value));
      if (want !== got) failures.push({ passed: false, reason: 'the result differs from expect:', details: lineDiff(want, got) });
    }
  }
  const failed = failures.find((f) => !f.passed);
  return failed ?? { passed: true, ...(one.result ? { result: one.result } : {}) };
}

function judgeError(want: ExpectError, error: unknown, result: { value: unknown } | undefined, describe: (error: unknown) => string): Verdict {
  const shown = pretty(want);
  if (error === undefined)
    return { passed: false, reason: `expected an error ${oneLine(shown)}, but the run succeeded`, details: `result: ${pretty(result?.value)}` };
  const errors = errorsOf(error);
  if (errors.some((e) => matches(want, e))) return { passed: true };
  return { passed: false, reason: `expected an error ${oneLine(shown)}, got another`, details: describe(error) };
}

function matches(want: ExpectError, e: FlowError): boolean {
  const line = e.location?.line ?? e.record?.line;
  const column = e.location?.column;
  if (want.code !== undefined && want.code !== e.code) return false;
  if (want.line !== undefined && want.line !== line) return false;
  if (want.column !== undefined && want.column !== column) return false;
  // `map[0]` names `map[0] (filter)` too.
  if (want.step !== undefined && want.step !== e.step && !(e.step ?? '').startsWith(`${want.step} (`)) return false;
  return want.message === undefined || e.message.includes(want.message);
}

function judgeChecks(want: string[], checks: CheckOutcome[]): Verdict {
  const failed = checks.filter((c) => !c.passed);
  const named = (c: CheckOutcome, w: string) => c.kind === w || c.name === w;
  const missing = want.filter((w) => !failed.some((c) => named(c, w)));
  const extra = failed.filter((c) => !want.some((w) => named(c, w)));
  if (missing.length === 0 && extra.length === 0) return { passed: true };
  const actual = failed.map((c) => (c.name === c.kind ? c.kind : `${c.name} (${c.kind})`));
  const details = [
    `expected to fail: ${want.length > 0 ? want.join(', ') : 'none'}`,
    `failed:           ${actual.length > 0 ? actual.join(', ') : 'none'}${checks.length === 0 ? ' (the run reported no checks)' : ''}`,
    ...failed.map((c) => `  ${c.message}`),
  ].join('\n');
  return { passed: false, reason: 'the failed checks differ from expect-checks:', details };
}

function oneLine(text: string): string {
  return text.replace(/\n\s*/g, ' ');
}
