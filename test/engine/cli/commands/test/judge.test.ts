import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../../engine/contract/errors.js';
import type { CheckOutcome } from '../../../../../engine/contract/outcomes.js';
import { judge } from '../../../../../engine/cli/commands/test/judge.js';
import type { TestCase } from '../../../../../engine/cli/commands/test/load.js';
import type { RunOnce, RunTwice } from '../../../../../engine/cli/commands/test/run-twice.js';

const base: TestCase = { index: 0, name: 't', set: {}, env: {} };
const ok = (value: unknown, extra: Partial<RunOnce> = {}): RunOnce => ({ result: { value }, chunks: 1, recordsIn: 1, ...extra });
const failed = (error: unknown, extra: Partial<RunOnce> = {}): RunOnce => ({ error, chunks: 1, recordsIn: 1, ...extra });
const both = (one: RunOnce, many: RunOnce = one): RunTwice => ({ one, many: { ...many, chunks: 4 }, ms: 1 });
const describeError = (error: unknown) => `described: ${(error as Error).message}`;

const parseError = new FlowError({ code: 'RECORD_PARSE', message: 'invalid JSON', step: 'source (file)', record: { file: 'input.ndjson', line: 2 } });
const stepError = new FlowError({
  code: 'STEP_FAILED',
  message: 'season: not a month',
  step: 'map[1] (./steps/season.ts)',
  location: { file: 'x.csv', line: 3, column: 1 },
});

function check(name: string, kind: CheckOutcome['kind'], passed: boolean): CheckOutcome {
  return { name, kind, severity: 'error', passed, checked: 10, failing: passed ? 0 : 2, allowed: 0, examples: [], message: `${name}: 2 of 10 records fail` };
}

describe('judge', () => {
  it('passes an equal result whatever the key order, and fails another with a diff', () => {
    expect(judge({ ...base, expect: { value: [{ b: 2n, a: 1 }] } }, both(ok([{ a: 1, b: 2 }])), describeError)).toMatchObject({ passed: true });
    const verdict = judge({ ...base, expect: { value: [{ a: 1 }] } }, both(ok([{ a: 2 }])), describeError);
    expect(verdict).toMatchObject({ passed: false, reason: 'the result differs from expect:' });
    expect(verdict.details).toContain('-     "a": 1\n+     "a": 2');
  });

  it('fails when the two chunkings disagree, before looking at expect:', () => {
    const verdict = judge({ ...base, expect: { value: [1] } }, both(ok([1]), ok([2])), describeError);
    expect(verdict).toMatchObject({ passed: false, reason: 'result depends on chunking: one chunk and 4 chunks on 2 threads differ' });
    expect(verdict.details).toBe('- one chunk\n+ 4 chunks on 2 threads\n  result: [\n-   1\n+   2\n  ]');
    // An error at one line in one chunk and at another in many chunks disagrees too.
    const moved = new FlowError({ ...parseError.toJSON(), record: { file: 'input.ndjson', line: 3 } });
    expect(judge({ ...base, expectError: { code: 'RECORD_PARSE' } }, both(failed(parseError), failed(moved)), describeError).passed).toBe(false);
  });

  it('expect-error: code, line (of the location or the record), column, step (its path alone too) and a part of the message', () => {
    const pass = (want: TestCase['expectError'], error: FlowError) => judge({ ...base, expectError: want! }, both(failed(error)), describeError).passed;
    expect(pass({ code: 'RECORD_PARSE', line: 2 }, parseError)).toBe(true);
    expect(pass({ code: 'RECORD_PARSE', line: 1 }, parseError)).toBe(false);
    expect(pass({ step: 'map[1]', line: 3, column: 1, message: 'not a month' }, stepError)).toBe(true);
    expect(pass({ step: 'map[1] (./steps/season.ts)' }, stepError)).toBe(true);
    expect(pass({ step: 'map[0]' }, stepError)).toBe(false);
    expect(pass({ message: 'a month' }, stepError)).toBe(true);
    expect(pass({ column: 2 }, stepError)).toBe(false);
    const verdict = judge({ ...base, expectError: { code: 'STEP_FAILED' } }, both(ok(5)), describeError);
    expect(verdict).toMatchObject({ passed: false, reason: 'expected an error { "code": "STEP_FAILED" }, but the run succeeded', details: 'result: 5' });
  });

  it('an unexpected error fails the test with the error as flow run prints it; exit 2 errors mark it invalid', () => {
    expect(judge({ ...base, expect: { value: 1 } }, both(failed(stepError)), describeError)).toEqual({
      passed: false,
      reason: 'the run failed',
      details: 'described: season: not a month',
    });
    const invalid = new FlowError({ code: 'UNDEFINED_PARAM', message: 'no param nope' });
    expect(judge(base, both(failed(invalid)), describeError)).toMatchObject({ passed: false, invalid: true });
    // No expectation at all: the run must succeed (and agree across chunkings).
    expect(judge(base, both(ok(1)), describeError)).toMatchObject({ passed: true, result: { value: 1 } });
  });

  it('expect-checks: the failed checks by kind or name, exactly; a CHECK_FAILED run is what it expects', () => {
    const checks = [check('not-null: origin', 'not-null', false), check('big', 'where', false), check('rows', 'rows', true)];
    const checkFailed = new FlowError({ code: 'CHECK_FAILED', message: '2 checks failed' });
    const run = both(failed(checkFailed, { checks }));
    expect(judge({ ...base, expectChecks: { failed: ['not-null', 'big'] } }, run, describeError).passed).toBe(true);
    expect(judge({ ...base, expectChecks: { failed: ['not-null: origin', 'where'] } }, run, describeError).passed).toBe(true);
    const missing = judge({ ...base, expectChecks: { failed: ['not-null'] } }, run, describeError);
    expect(missing).toMatchObject({ passed: false, reason: 'the failed checks differ from expect-checks:' });
    expect(missing.details).toContain('failed:           not-null: origin (not-null), big (where)');
    expect(judge({ ...base, expectChecks: { failed: ['rows', 'not-null', 'big'] } }, run, describeError).passed).toBe(false);
    // Passing checks: an empty list expects none to fail.
    expect(judge({ ...base, expectChecks: { failed: [] } }, both(ok([], { checks: [check('rows', 'rows', true)] })), describeError).passed).toBe(true);
    // Another error than CHECK_FAILED is not what expect-checks expects.
    expect(judge({ ...base, expectChecks: { failed: [] } }, both(failed(stepError)), describeError)).toMatchObject({ passed: false, reason: 'the run failed' });
  });
});
