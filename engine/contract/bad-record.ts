// A record a source cannot read, handed to the engine in its place when the pipeline's `on-error`
// skips or dead-letters such records (the split hint `rejects`); otherwise a source throws.
import type { FlowErrorInit } from './errors.js';

// A symbol from the global registry: a plugin that bundles its own copy of flow is recognised too.
const brand = Symbol.for('flow-pipelines.bad-record');

export class BadRecord {
  /** The error reading it would have thrown: code (e.g. RECORD_PARSE), message, record file/line. */
  readonly error: FlowErrorInit;
  /** The text that could not be read (a line), for the dead-letter file. */
  readonly raw?: string;

  constructor(error: FlowErrorInit, raw?: string) {
    this.error = error;
    if (raw !== undefined) this.raw = raw;
  }

  get [brand](): true {
    return true;
  }
}

export function isBadRecord(value: unknown): value is BadRecord {
  return value instanceof BadRecord || (typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true);
}
