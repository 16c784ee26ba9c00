// What a run found besides its result: data checks and warnings. Plain data, for the summary, the
// report, CI annotations and `flow test`.
import type { SourceLocation } from './errors.js';

export type CheckKind = 'rows' | 'not-null' | 'unique' | 'values-in' | 'where' | 'result';

export interface CheckOutcome {
  /** The check's `name:`, else a name made from its kind and fields (`not-null: origin, delay`). */
  name: string;
  kind: CheckKind;
  severity: 'error' | 'warn';
  passed: boolean;
  /** Records (or values) the check looked at. */
  checked: number;
  /** Records that failed it (for `rows` and `result`: 0 or 1). */
  failing: number;
  /** Failing records allowed (`allow:` resolved to a count). */
  allowed: number;
  /** The first failing records' origins, in source order (at most 5). */
  examples: Array<{ file?: string; line?: number; row?: number; index?: number }>;
  /** Where the check is written in the pipeline file. */
  location?: SourceLocation;
  message: string;
}

/** Something suspicious that did not stop the run (`--strict` makes any of them exit 3). */
export interface RunWarning {
  code: string;
  message: string;
  /** The step it concerns, as in errors: `map[1] (filter)`. */
  step?: string;
  location?: SourceLocation;
  hint?: string;
}
