// Which of the watched fields (Plan.watch) a chunk's records have: records are tested only until
// each field was seen once, so a clean chunk pays a few tests and then one boolean per record.
import { isBadRecord } from '../contract/bad-record.js';

export interface FieldWatcher {
  /** Some watched field was not seen yet. */
  pending: boolean;
  see(record: unknown): void;
  /** The watched fields seen so far. */
  seen(): string[];
}

export function watchFields(fields: readonly string[]): FieldWatcher {
  const missing = [...fields];
  const watcher: FieldWatcher = {
    pending: missing.length > 0,
    see(record) {
      if (record === null || record === undefined || isBadRecord(record)) return;
      // Object(): a string has its own `length` and indices, as an expression reads them.
      const value = Object(record) as object;
      for (let i = missing.length - 1; i >= 0; i--) {
        if (!Object.hasOwn(value, missing[i]!)) continue;
        missing[i] = missing[missing.length - 1]!;
        missing.pop();
      }
      watcher.pending = missing.length > 0;
    },
    seen: () => fields.filter((f) => !missing.includes(f)),
  };
  return watcher;
}
