import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowError } from '../../../../../engine/contract/errors.js';
import { reportTestsToGithub, testAnnotations, testSummary, type Failure } from '../../../../../engine/cli/commands/test/github.js';

const base = '/repo';
const failure = (name: string, extra: Partial<Failure> = {}): Failure => ({
  file: 'pipelines/a.test.yaml',
  name,
  location: { file: '/repo/pipelines/a.test.yaml', line: 7, column: 5 },
  reason: 'the result differs from expect:',
  details: '- expected\n+ actual\n-   "n": 1\n+   "n": 2',
  ...extra,
});

describe('testAnnotations', () => {
  it('puts a failed test at its place in the test file, the reason and the diff escaped as @actions/core does', () => {
    expect(testAnnotations([failure('counts, 100%: ok')], base)).toEqual([
      '::error file=pipelines/a.test.yaml,line=7,col=5,title=flow test%3A counts%2C 100%25%3A ok::the result differs from expect:%0A- expected%0A+ actual%0A-   "n": 1%0A+   "n": 2',
    ]);
  });

  it("annotates an invalid test file at its errors, and caps failed tests at 10 with a '+N more' notice", () => {
    const error = new FlowError({
      code: 'UNKNOWN_KEY',
      message: 'unknown key `expcet`',
      path: 'tests[0].expcet',
      location: { file: '/repo/t.test.yaml', line: 4, column: 5 },
    });
    const lines = testAnnotations(
      [{ file: 't.test.yaml', reason: 'invalid test file', error }, ...Array.from({ length: 12 }, (_, i) => failure(`t${i}`))],
      base,
    );
    expect(lines[0]).toBe('::error file=t.test.yaml,line=4,col=5,title=UNKNOWN_KEY::tests[0].expcet: unknown key `expcet`');
    expect(lines.filter((l) => l.includes('title=flow test%3A'))).toHaveLength(10);
    expect(lines.at(-1)).toBe('::notice title=flow test::+2 more failed tests: see the log');
  });

  it('cuts a long diff to 20 lines', () => {
    const details = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const [line] = testAnnotations([failure('long', { details })], base);
    expect(line!.split('%0A')).toHaveLength(1 + 20 + 1);
    expect(line).toContain('... (30 more lines in the log)');
  });
});

describe('testSummary', () => {
  it('is a Markdown section: the counts, then a table of the failures, pipes escaped', () => {
    expect(testSummary(3, [])).toBe('### flow test: 3 passed, 0 failed\n\n');
    expect(testSummary(1, [failure('a | b'), { file: 'x.test.yaml', reason: 'invalid test file' }])).toBe(
      '### flow test: 1 passed, 2 failed\n\n| test file | test | why |\n|---|---|---|\n' +
        '| pipelines/a.test.yaml | a \\| b | the result differs from expect: |\n| x.test.yaml | (invalid test file) | invalid test file |\n\n',
    );
  });
});

describe('reportTestsToGithub', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes annotations and appends the summary only when GITHUB_ACTIONS=true', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const summary = path.join(mkdtempSync(path.join(os.tmpdir(), 'flow-gh-')), 'summary.md');
    reportTestsToGithub(1, [failure('a')], { GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: base });
    expect(stderr).not.toHaveBeenCalled();
    reportTestsToGithub(1, [failure('a')], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: base });
    expect(String(stderr.mock.calls[0]![0])).toMatch(/^::error file=pipelines\/a\.test\.yaml,line=7,col=5,title=flow test%3A a::/);
    expect(readFileSync(summary, 'utf8')).toContain('### flow test: 1 passed, 1 failed');
  });
});
