// The `lines` format: one string per line ('\r\n' or '\n'); empty lines are records too.
import { lineBlocks, lineNumber, type LineRange } from './byte-range.js';

export function* readLines(range: LineRange): Generator<string> {
  for (const block of lineBlocks(range)) {
    for (let i = 0; i < block.length; i++) yield block[i]!;
  }
}

export function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

/** Line number of the k-th record of a range, counting only lines that `isRecord` keeps. */
export function recordLine(range: LineRange, k: number, isRecord: (line: string) => boolean): number | undefined {
  let index = 0;
  let seen = 0;
  for (const block of lineBlocks(range)) {
    for (const line of block) {
      if (isRecord(line) && seen++ === k) return lineNumber(range, index);
      index++;
    }
  }
  return undefined;
}
