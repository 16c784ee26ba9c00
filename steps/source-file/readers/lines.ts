// The `lines` format: one string per line ('\r\n' or '\n'); empty lines are records too.
import type { BadRecord } from '../../../engine/contract/bad-record.js';
import { lineNumber, type LineRange } from './byte-range.js';
import { lineBlocks } from './text-blocks.js';
import { rejecter } from './reject.js';
import { BadLines, utf8LineError } from './utf8.js';

export function* readLines(range: LineRange & { rejects?: boolean }): Generator<string | BadRecord> {
  // A line of invalid UTF-8 is rejected (or thrown, without on-error) alone, in its turn (utf8.ts).
  const bad = new BadLines();
  const reject = rejecter(range);
  let index = 0;
  for (const block of lineBlocks(range, bad)) {
    let u = bad.lines.length > 0 ? 0 : -1;
    for (let i = 0; i < block.length; i++, index++) {
      if (u >= 0 && bad.lines[u] === i) {
        yield reject(index, block[i]!, utf8LineError, range.name, bad.columns[u]!, bad.bytes[u]!);
        if (++u === bad.lines.length) u = -1;
      } else yield block[i]!;
    }
  }
}

export function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

/** Line number of the k-th record of a range, counting only lines that `isRecord` keeps. */
export function recordLine(range: LineRange, k: number, isRecord: (line: string) => boolean): number | undefined {
  let index = 0;
  let seen = 0;
  // Invalid UTF-8 counts as a line like any other here: it is a record the reader rejects.
  for (const block of lineBlocks(range, new BadLines())) {
    for (const line of block) {
      if (isRecord(line) && seen++ === k) return lineNumber(range, index);
      index++;
    }
  }
  return undefined;
}
