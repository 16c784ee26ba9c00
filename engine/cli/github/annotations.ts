// The run's errors, failed checks and warnings as GitHub annotations, at the right file, line and
// column, at most CAP per kind: GitHub shows only ten of each per step, the rest goes in one line.
import path from 'node:path';
import type { FlowErrorInit, SourceLocation } from '../../contract/errors.js';
import type { CheckOutcome, RunWarning } from '../../contract/outcomes.js';
import { workflowCommand } from './commands.js';

export const CAP = 10;

export interface Findings {
  errors?: readonly FlowErrorInit[];
  checks?: readonly CheckOutcome[];
  warnings?: readonly RunWarning[];
}

interface Annotation {
  kind: 'error' | 'warning';
  title: string;
  message: string;
  location?: SourceLocation;
}

/**
 * The workflow command lines for what a run found. Failed `error` checks are among the errors
 * already (the run threw them); failed `warn` checks are warnings. Paths relative to `base`
 * (GITHUB_WORKSPACE, else the working directory), as GitHub matches them to the repository.
 */
export function annotationLines(findings: Findings, base: string, cap = CAP): string[] {
  const all: Annotation[] = [
    ...(findings.errors ?? []).map((e): Annotation => ({
      kind: 'error',
      title: e.code,
      message: errorText(e),
      ...(e.location ? { location: e.location } : {}),
    })),
    ...(findings.checks ?? [])
      // A failed warn check that the run also lists among its warnings is annotated once.
      .filter((c) => !c.passed && c.severity === 'warn' && !(findings.warnings ?? []).some((w) => samePlace(w.location, c.location)))
      .map((c): Annotation => ({ kind: 'warning', title: `check: ${c.name}`, message: c.message, ...(c.location ? { location: c.location } : {}) })),
    ...(findings.warnings ?? []).map((w): Annotation => ({
      kind: 'warning',
      title: w.code,
      message: warningText(w),
      ...(w.location ? { location: w.location } : {}),
    })),
  ];
  const lines: string[] = [];
  for (const kind of ['error', 'warning'] as const) {
    const ofKind = all.filter((a) => a.kind === kind);
    for (const a of ofKind.slice(0, cap)) lines.push(workflowCommand(kind, { ...place(a.location, base), title: a.title }, a.message));
    const more = ofKind.length - cap;
    if (more > 0) lines.push(workflowCommand('notice', { title: 'flow' }, `+${more} more ${kind}${more === 1 ? '' : 's'}: see the log or the --report file`));
  }
  return lines;
}

function samePlace(a: SourceLocation | undefined, b: SourceLocation | undefined): boolean {
  return a !== undefined && b !== undefined && a.file === b.file && a.line === b.line && a.column === b.column;
}

function place(location: SourceLocation | undefined, base: string): Record<string, string | number> {
  if (!location) return {};
  const rel = path.relative(base, path.resolve(base, location.file));
  const file = rel.startsWith('..') || path.isAbsolute(rel) ? location.file : rel.split(path.sep).join('/');
  return { file, line: location.line, col: location.column };
}

function errorText(e: FlowErrorInit): string {
  const r = e.record;
  const at = r?.file !== undefined ? ` (${r.file}${r.line !== undefined ? `:${r.line}` : r.row !== undefined ? ` row ${r.row}` : ''})` : '';
  const where = e.path ? `${e.path}: ` : e.step ? `${e.step}: ` : '';
  return `${where}${e.message}${at}${e.hint ? `\nhint: ${e.hint}` : ''}`;
}

function warningText(w: RunWarning): string {
  return `${w.step ? `${w.step}: ` : ''}${w.message}${w.hint ? `\nhint: ${w.hint}` : ''}`;
}
