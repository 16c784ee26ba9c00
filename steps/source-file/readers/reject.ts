// Tolerant reading (on-error skip or dead-letter, the split hint `rejects`): a line that cannot be
// read becomes a BadRecord in its place, and the reader goes on with the next line.
import { BadRecord } from '../../../engine/contract/bad-record.js';
import type { FlowError } from '../../../engine/contract/errors.js';
import { lineNumber, type LineRange } from './byte-range.js';

/** What a reader does with its `index`-th line when it cannot read it: throws, or with `rejects` a BadRecord to hand on. */
export type Reject = (index: number, error: (line: number) => FlowError, raw: string) => BadRecord;

/** One per chunk: the chunk's first line is found once (it rereads the file up to the chunk), not per bad line. */
export function rejecter(range: LineRange & { rejects?: boolean }): Reject {
  let first: number | undefined;
  return (index, error, raw) => {
    if (!range.rejects) throw error(lineNumber(range, index));
    first ??= lineNumber(range, 0);
    return new BadRecord(error(first + index).toJSON(), raw);
  };
}
