// The shape shared by the serialisers: stateful, one per output, each call returns text to write.
import type { OutputFormat } from '../../../engine/contract/step.js';

export interface Encoder {
  /** Text for a batch of records (or of an array result's items), in order. */
  batch(records: unknown[]): string;
  /** Text for a whole result; an array is written as its items, exactly like `batch`. */
  value(value: unknown): string;
  /** Text that closes the output (e.g. `]`), once, after the last batch. */
  end(): string;
}

export type { OutputFormat };
