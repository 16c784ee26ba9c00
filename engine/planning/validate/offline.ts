// `flow validate --offline`: a value that still holds a `${{ env.NAME }}` placeholder depends on a
// variable that is not set here, so it may become anything: errors about it are not errors yet.
import type { ErrorObject } from 'ajv';

/** The value holds an unreplaced placeholder (only offline does interpolation leave one). */
export function isUnknownValue(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${{');
}

/** The schema errors that hold whatever the unknown values turn out to be. */
export function offlineKnown(errors: ErrorObject[] | null | undefined): ErrorObject[] {
  return (errors ?? []).filter((error) => !isUnknownValue(error.data));
}

/** Some value inside `value` is unknown. */
export function holdsUnknown(value: unknown): boolean {
  if (isUnknownValue(value)) return true;
  return value !== null && typeof value === 'object' && Object.values(value).some(holdsUnknown);
}

/** A step's own issues that hold offline: not about missing inputs, nor about a value not known yet. */
export function offlineIssues<I extends { path: string; code?: string }>(issues: I[], options: unknown, at: (path: string) => unknown): I[] {
  return issues.filter((issue) => issue.code !== 'NO_INPUT_MATCH' && !holdsUnknown(at(issue.path)) && !(issue.path === '' && holdsUnknown(options)));
}
