// In GitHub Actions: each failed test as an annotation at its place in the test file (an invalid file
// at its errors), and the results appended to the job summary.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { FlowError, FlowErrors, type SourceLocation } from '../../../contract/errors.js';
import { annotationLines, CAP, workflowCommand } from '../../github/index.js';

export interface Failure {
  /** The test file, as the output names it. */
  file: string;
  /** The test's name; none for an invalid test file. */
  name?: string;
  location?: SourceLocation;
  reason: string;
  details?: string;
  /** An invalid test file's error. */
  error?: unknown;
}

/** The most lines of a diff an annotation carries: the log has the rest. */
const DETAIL_LINES = 20;

export function testAnnotations(failures: Failure[], base: string): string[] {
  const errors = failures
    .flatMap((f) => (f.error instanceof FlowErrors ? f.error.errors : f.error instanceof FlowError ? [f.error] : []))
    .map((e) => e.toJSON());
  const lines = annotationLines({ errors }, base);
  const tests = failures.filter((f) => f.name !== undefined);
  for (const f of tests.slice(0, CAP)) {
    const details = (f.details ?? '').split('\n');
    const shown = details.length > DETAIL_LINES ? [...details.slice(0, DETAIL_LINES), `... (${details.length - DETAIL_LINES} more lines in the log)`] : details;
    const message = [f.reason, ...shown].join('\n').trimEnd();
    lines.push(workflowCommand('error', { ...place(f.location, base), title: `flow test: ${f.name}` }, message));
  }
  if (tests.length > CAP) lines.push(workflowCommand('notice', { title: 'flow test' }, `+${tests.length - CAP} more failed tests: see the log`));
  return lines;
}

function place(location: SourceLocation | undefined, base: string): Record<string, string | number> {
  if (!location) return {};
  const rel = path.relative(base, location.file);
  return { file: rel.startsWith('..') || path.isAbsolute(rel) ? location.file : rel.split(path.sep).join('/'), line: location.line, col: location.column };
}

/** A Markdown section for $GITHUB_STEP_SUMMARY: the counts, then each failure's file and reason. */
export function testSummary(passed: number, failures: Failure[]): string {
  const lines = [`### flow test: ${passed} passed, ${failures.length} failed`, ''];
  if (failures.length > 0) {
    lines.push('| test file | test | why |', '|---|---|---|');
    for (const f of failures) lines.push(`| ${cell(f.file)} | ${cell(f.name ?? '(invalid test file)')} | ${cell(f.reason)} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Annotations on stderr and the summary, when running in GitHub Actions; the summary is a courtesy. */
export function reportTestsToGithub(passed: number, failures: Failure[], env: NodeJS.ProcessEnv = process.env): void {
  if (env.GITHUB_ACTIONS !== 'true') return;
  const lines = testAnnotations(failures, env.GITHUB_WORKSPACE || process.cwd());
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  if (!env.GITHUB_STEP_SUMMARY) return;
  try {
    appendFileSync(env.GITHUB_STEP_SUMMARY, testSummary(passed, failures));
  } catch (error) {
    process.stderr.write(`warning: cannot append the job summary to ${env.GITHUB_STEP_SUMMARY}: ${(error as Error).message}\n`);
  }
}
