// The error catalogue. A user error is a FlowError with a code, a location and a hint, printed
// like a compiler's message and never with a stack. Anything else is a bug in flow.

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** Characters to underline (default 1). */
  length?: number;
}

/** Exit status: 2 = the pipeline or command line is invalid (nothing ran); 1 = the run failed. */
export const catalogue = {
  // The command line and the pipeline file (exit 2).
  BAD_ARGS: { exit: 2, title: 'bad command-line arguments' },
  FILE_NOT_FOUND: { exit: 2, title: 'the pipeline file cannot be read' },
  YAML_SYNTAX: { exit: 2, title: 'the file is not valid YAML' },
  YAML_ALIAS_LIMIT: { exit: 2, title: 'too many YAML aliases (an alias bomb?)' },
  // A pipeline file is small: past these limits (engine/planning/load.ts, parse.ts) it is refused unread.
  YAML_TOO_LARGE: { exit: 2, title: 'the pipeline file is larger than the limit' },
  YAML_TOO_DEEP: { exit: 2, title: 'the YAML nests deeper than the limit' },
  UNKNOWN_KEY: { exit: 2, title: 'a key that is not allowed here' },
  MISSING_KEY: { exit: 2, title: 'a required key is missing' },
  WRONG_TYPE: { exit: 2, title: 'a value of the wrong type' },
  INVALID_VALUE: { exit: 2, title: 'a value that is not allowed' },
  UNKNOWN_STEP: { exit: 2, title: 'no step of that name' },
  UNDEFINED_PARAM: { exit: 2, title: 'a ${{ params.X }} with no such param' },
  UNDEFINED_ENV: { exit: 2, title: 'a ${{ env.X }} with no such variable' },
  BAD_PLACEHOLDER: { exit: 2, title: 'a ${{ ... }} that is not params.X or env.X' },
  EXPR_SYNTAX: { exit: 2, title: 'an expression that does not parse' },
  EXPR_UNKNOWN_FUNCTION: { exit: 2, title: 'an expression calls a function that is not allowed' },
  EXPR_FORBIDDEN: { exit: 2, title: 'an expression uses something that is not allowed' },
  NO_INPUT_MATCH: { exit: 2, title: 'an input path matches no file' },
  // A field the source is known to lack (a CSV header), named by an expression or an option.
  UNKNOWN_FIELD: { exit: 2, title: 'a field that the input does not have' },
  // Found when the input is split, before anything runs: gzip, zip, Parquet, NUL bytes...
  INPUT_NOT_TEXT: { exit: 2, title: 'an input read as text is binary or compressed' },
  PLUGIN_NOT_FOUND: { exit: 2, title: 'a plugin step cannot be found' },
  PLUGIN_INVALID: { exit: 2, title: 'a plugin step is not a valid step' },
  PLUGIN_OUTSIDE_PROJECT: { exit: 2, title: "a plugin path leads outside the pipeline's project" },
  // --queue sends chunk descriptors only: a source whose chunks carry their text (a stream) cannot be queued.
  QUEUE_STREAM_SOURCE: { exit: 2, title: 'a streamed input cannot be read through the queue' },
  // The run (exit 1).
  RECORD_PARSE: { exit: 1, title: 'a record cannot be parsed' },
  BAD_RECORD: { exit: 1, title: 'a record does not fit the step' },
  STEP_FAILED: { exit: 1, title: 'a step threw an error' },
  // An expression built a string or an array past the limits of steps/kit/expr/limits.ts: the record fails, not the process.
  EXPR_LIMIT: { exit: 1, title: 'an expression built a value over the size limit' },
  // on-error skip or dead-letter: more records rejected than `max` allows.
  ERROR_BUDGET: { exit: 1, title: 'more records were rejected than the error budget allows' },
  WORKER_DIED: { exit: 1, title: 'a worker thread died' },
  // retries: a chunk whose worker died, timed out or whose setup threw, on every attempt.
  CHUNK_FAILED: { exit: 1, title: 'a chunk failed every attempt' },
  INPUT_FAILED: { exit: 1, title: 'an input file cannot be read' },
  OUTPUT_FAILED: { exit: 1, title: 'the output cannot be written' },
  // --queue (docs/distributed.md): Redis gone past the wait, or one that may evict keys; a worker that refuses the run.
  QUEUE_UNAVAILABLE: { exit: 1, title: 'the Redis of the queue does not answer' },
  QUEUE_REFUSED: { exit: 1, title: 'the Redis of the queue may evict keys' },
  FINGERPRINT_MISMATCH: { exit: 1, title: "a worker does not run the coordinator's code" },
  INPUT_CHANGED: { exit: 1, title: 'an input changed after the run was planned' },
  // A signal ended the run: 128 + the signal's number, as shells report it (SIGINT and SIGTERM: 130).
  INTERRUPTED: { exit: 130, title: 'interrupted' },
  HANGUP: { exit: 129, title: 'the terminal hung up (SIGHUP)' },
  // The run completed, but its data did not pass (exit 3): nothing was written.
  CHECK_FAILED: { exit: 3, title: 'a data check failed' },
  // --strict: the run completed with warnings (exit 3): nothing was written.
  STRICT_WARNINGS: { exit: 3, title: 'the run had warnings and --strict was given' },
} as const satisfies Record<string, { exit: ExitCode; title: string }>;

/** 0 is success; 1 the run failed; 2 invalid; 3 a data check failed; 129 SIGHUP; 130 SIGINT or SIGTERM. */
export type ExitCode = 1 | 2 | 3 | 129 | 130;

export type ErrorCode = keyof typeof catalogue;

export interface FlowErrorInit {
  code: ErrorCode;
  message: string;
  /** Where in a pipeline file (or data file) the problem is. */
  location?: SourceLocation;
  /** The option path, e.g. `map[0].with.where`. */
  path?: string;
  hint?: string;
  /** For run errors: the step (`map[1] (filter)`) and the record's origin. */
  step?: string;
  record?: { file?: string; line?: number; row?: number; index?: number; chunk?: number };
}

export class FlowError extends Error {
  readonly code: ErrorCode;
  readonly location?: SourceLocation;
  readonly path?: string;
  readonly hint?: string;
  readonly step?: string;
  readonly record?: FlowErrorInit['record'];

  constructor(init: FlowErrorInit) {
    super(init.message);
    this.name = 'FlowError';
    this.code = init.code;
    if (init.location) this.location = init.location;
    if (init.path) this.path = init.path;
    if (init.hint) this.hint = init.hint;
    if (init.step) this.step = init.step;
    if (init.record) this.record = init.record;
  }

  get exitCode(): ExitCode {
    return catalogue[this.code].exit;
  }

  /** Plain data, for crossing a thread boundary. */
  toJSON(): FlowErrorInit {
    const { code, message, location, path, hint, step, record } = this;
    return stripUndefined({ code, message, location, path, hint, step, record }) as unknown as FlowErrorInit;
  }
}

/** The error of a run stopped by a signal; `signal` is the abort reason (a signal name, when known). */
export function interrupted(signal?: unknown): FlowError {
  if (signal === 'SIGHUP') return new FlowError({ code: 'HANGUP', message: 'hung up (SIGHUP); nothing was written' });
  const by = signal === 'SIGINT' || signal === 'SIGTERM' ? ` (${signal})` : '';
  return new FlowError({ code: 'INTERRUPTED', message: `interrupted${by}; nothing was written` });
}

/** Several user errors found at once (validation reports all errors of a file). */
export class FlowErrors extends Error {
  constructor(readonly errors: FlowError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'FlowErrors';
  }
  get exitCode(): ExitCode {
    if (this.errors.some((e) => e.exitCode === 2)) return 2;
    return this.errors.every((e) => e.exitCode === 3) ? 3 : 1;
  }
}

/**
 * A FlowError, also one made by another copy of flow (a plugin may import its own `flow`):
 * recognised by shape, so its code, location and hint survive instead of becoming STEP_FAILED.
 */
/** The exit status an error means: a FlowError's own (1, 2, 3, 129 or 130); anything else is a bug: 1. */
export function exitCodeOf(error: unknown): ExitCode {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return code === 2 || code === 3 || code === 129 || code === 130 ? code : 1;
}

export function isFlowError(value: unknown): value is FlowError {
  if (value instanceof FlowError) return true;
  const v = value as { name?: unknown; code?: unknown; message?: unknown; toJSON?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.name === 'FlowError' &&
    typeof v.code === 'string' &&
    Object.hasOwn(catalogue, v.code) &&
    typeof v.message === 'string' &&
    typeof v.toJSON === 'function'
  );
}

/** Several errors, or one, or none: throw what was found. */
export function throwIfAny(errors: FlowError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new FlowErrors(errors);
}

function stripUndefined(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}
