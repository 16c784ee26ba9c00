// Main thread: the line of the k-th record of a text chunk, asked for once per rejected record of a
// dead-letter run, so possibly thousands of times per chunk. The chunk's record lines are found in
// one pass and kept for the next question, and the newlines before a chunk are counted on from the
// last chunk asked about instead of from the start of the file.
import fs from 'node:fs';
import { BadLines, carriesText, giveBuffer, lineBlocks, openInput, ownedRange, readAt, takeBuffer, type LineRange } from './readers/index.js';

interface Table {
  range: LineRange;
  /** The 1-based line number of the chunk's first line. */
  first: number;
  /** For each record, the index of its line among the chunk's lines. */
  lines: number[];
}

let table: Table | undefined;
/** Newlines before `offset` in a file, as of its size and time: where the next count starts. */
let counted: { file: string; size: number; mtimeMs: number; offset: number; newlines: number } | undefined;

export function chunkRecordLine(range: LineRange, k: number, isRecord: (line: string) => boolean): number | undefined {
  if (table?.range !== range) table = { range, first: firstLine(range), lines: recordLines(range, isRecord) };
  const index = table.lines[k];
  return index === undefined ? undefined : table.first + index;
}

function recordLines(range: LineRange, isRecord: (line: string) => boolean): number[] {
  const lines: number[] = [];
  let index = 0;
  // Invalid UTF-8 counts as a line like any other here: it is a record the reader rejects.
  for (const block of lineBlocks(range, new BadLines())) {
    for (const line of block) {
      if (isRecord(line)) lines.push(index);
      index++;
    }
  }
  return lines;
}

function firstLine(range: LineRange): number {
  if (carriesText(range)) return range.line!;
  const fd = openInput(range.file, range.name);
  try {
    const { size, mtimeMs } = fs.fstatSync(fd);
    const { from } = ownedRange(fd, range);
    const same = counted && counted.file === range.file && counted.size === size && counted.mtimeMs === mtimeMs && counted.offset <= from;
    const start = same ? counted! : { offset: 0, newlines: 0 };
    const newlines = start.newlines + countNewlines(fd, range.name, start.offset, from);
    counted = { file: range.file, size, mtimeMs, offset: from, newlines };
    return newlines + 1;
  } finally {
    fs.closeSync(fd);
  }
}

function countNewlines(fd: number, name: string, from: number, to: number): number {
  const buf = takeBuffer();
  let count = 0;
  try {
    for (let pos = from; pos < to;) {
      const n = readAt(fd, buf, 0, Math.min(buf.length, to - pos), pos, name);
      if (n === 0) break;
      for (let i = buf.indexOf(10, 0); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) count++;
      pos += n;
    }
    return count;
  } finally {
    giveBuffer(buf);
  }
}
