// The record checks of a chunk read as columns (chunk-runner's columns form): each row is handed to
// them as the record the record path would give, a plain object with the batch's fields (a field
// with no column is absent, as in the record), at its place in the chunk. One object serves every
// row of the batch: the checks read a record's fields and keep nothing of it (key bytes are copied,
// examples are places), so no object is made per row.
import type { ColumnBatch } from '../../contract/step.js';
import type { ChunkChecks } from './combiners.js';

export function checkRows(batch: ColumnBatch, checks: ChunkChecks): void {
  const names = [...batch.columns.keys()];
  const row: Record<string, unknown> = {};
  for (const name of names) Object.defineProperty(row, name, { value: undefined, enumerable: true, writable: true, configurable: true });
  const reads = [...batch.columns.values()].map((column) =>
    'indices' in column
      ? { dictionary: column.dictionary, indices: column.indices, values: undefined }
      : { dictionary: undefined, indices: undefined, values: column.values },
  );
  for (let i = 0; i < batch.rows; i++) {
    for (let c = 0; c < names.length; c++) {
      const read = reads[c]!;
      row[names[c]!] = read.values ? read.values[i] : read.dictionary[read.indices[i]!];
    }
    checks.add(row, i);
  }
}
