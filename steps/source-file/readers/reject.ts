// Tolerant reading (on-error skip or dead-letter, the split hint `rejects`): a line that cannot be
// read becomes a BadRecord in its place, and the reader goes on with the next line.
import { BadRecord } from '../../../engine/contract/bad-record.js';
import type { FlowError } from '../../../engine/contract/errors.js';
import { lineNumber, type LineRange } from './byte-range.js';

/**
 * What a reader does with its `index`-th line when it cannot read it: throws `error(...args, line)`,
 * or with `rejects` returns a BadRecord to hand on. An error function and its arguments rather than a
 * closure: a closure over a reader's loop variables would take them out of registers for every line.
 */
export type Reject = <A extends unknown[]>(index: number, raw: string, error: (...args: [...A, number | undefined]) => FlowError, ...args: A) => BadRecord;

/** One per chunk: the chunk's first line is found once (it rereads the file up to the chunk), not per bad line. */
export function rejecter(range: LineRange & { rejects?: boolean }): Reject {
  let first: number | undefined;
  return (index, raw, error, ...args) => {
    if (!range.rejects) throw error(...args, lineNumber(range, index));
    first ??= lineNumber(range, 0);
    // No line known here (a URL's range on a queue worker): the main thread locates the record.
    return new BadRecord(error(...args, first === undefined ? undefined : first + index).toJSON(), raw);
  };
}
