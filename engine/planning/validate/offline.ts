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
