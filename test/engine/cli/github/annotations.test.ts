import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotationLines } from '../../../../engine/cli/github/annotations.js';
import type { CheckOutcome } from '../../../../engine/contract/outcomes.js';

const base = '/repo';
const at = (line: number, column: number, file = '/repo/pipelines/x.yaml') => ({ file, line, column });

describe('annotations', () => {
  it('an error at its file (relative to the workspace), line and column, the code as title; message and hint escaped', () => {
    const lines = annotationLines(
      { errors: [{ code: 'EXPR_SYNTAX', message: 'unexpected "," at 3', path: 'map[0].with.where', location: at(14, 19), hint: 'quote it: "a, b"' }] },
      base,
    );
    expect(lines).toEqual(['::error file=pipelines/x.yaml,line=14,col=19,title=EXPR_SYNTAX::map[0].with.where: unexpected "," at 3%0Ahint: quote it: "a, b"']);
  });

  it('a record error without a pipeline location names the step and the record, with no file', () => {
    const lines = annotationLines(
      { errors: [{ code: 'RECORD_PARSE', message: 'invalid JSON', step: 'source (file)', record: { file: 'data.ndjson', line: 1457 } }] },
      base,
    );
    expect(lines).toEqual(['::error title=RECORD_PARSE::source (file): invalid JSON (data.ndjson:1457)']);
  });

  it('a file outside the workspace keeps its own path', () => {
    const lines = annotationLines({ errors: [{ code: 'UNKNOWN_STEP', message: 'no step', location: at(2, 3, '/elsewhere/p.yaml') }] }, base);
    expect(lines[0]).toBe('::error file=/elsewhere/p.yaml,line=2,col=3,title=UNKNOWN_STEP::no step');
    expect(path.isAbsolute('/elsewhere/p.yaml')).toBe(true);
  });

  it('warnings and failed warn checks are ::warning; passed checks and error checks (thrown as errors) are not repeated', () => {
    const check = (name: string, severity: 'error' | 'warn', passed: boolean): CheckOutcome => ({
      name,
      kind: 'where',
      severity,
      passed,
      checked: 10,
      failing: passed ? 0 : 2,
      allowed: 0,
      examples: [],
      location: at(30, 5),
      message: `${name}: 2 of 10 records fail`,
    });
    const lines = annotationLines(
      {
        checks: [check('a', 'warn', false), check('b', 'warn', true), check('c', 'error', false)],
        warnings: [{ code: 'FIELD_NEVER_SEEN', message: 'no record has "tmep"', step: 'map[0] (filter)', hint: 'did you mean "temp"?', location: at(8, 22) }],
      },
      base,
    );
    expect(lines).toEqual([
      '::warning file=pipelines/x.yaml,line=30,col=5,title=check%3A a::a: 2 of 10 records fail',
      '::warning file=pipelines/x.yaml,line=8,col=22,title=FIELD_NEVER_SEEN::map[0] (filter): no record has "tmep"%0Ahint: did you mean "temp"?',
    ]);
  });

  it('a failed warn check that is also among the warnings is annotated once', () => {
    const warn: CheckOutcome = {
      name: 'hot',
      kind: 'where',
      severity: 'warn',
      passed: false,
      checked: 5,
      failing: 1,
      allowed: 0,
      examples: [],
      location: at(8, 5),
      message: 'check "hot" failed',
    };
    const lines = annotationLines({ checks: [warn], warnings: [{ code: 'CHECK_FAILED', message: 'check "hot" failed', location: at(8, 5) }] }, base);
    expect(lines).toEqual(['::warning file=pipelines/x.yaml,line=8,col=5,title=CHECK_FAILED::check "hot" failed']);
  });

  it('at most ten of a kind, then one notice with the count of the rest', () => {
    const errors = Array.from({ length: 13 }, (_, i) => ({ code: 'UNKNOWN_KEY' as const, message: `key ${i}`, location: at(i + 1, 1) }));
    const warnings = Array.from({ length: 11 }, (_, i) => ({ code: 'W', message: `w ${i}` }));
    const lines = annotationLines({ errors, warnings }, base);
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith('::warning'))).toHaveLength(10);
    expect(lines[9]).toBe('::error file=pipelines/x.yaml,line=10,col=1,title=UNKNOWN_KEY::key 9');
    expect(lines[10]).toBe('::notice title=flow::+3 more errors: see the log or the --report file');
    expect(lines[21]).toBe('::notice title=flow::+1 more warning: see the log or the --report file');
    expect(lines).toHaveLength(22);
    expect(annotationLines({ errors }, base, 13).filter((l) => l.startsWith('::notice'))).toEqual([]);
  });
});
