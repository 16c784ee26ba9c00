// NDJSON: one JSON value per line; blank lines are skipped.
import { FlowError } from '../errors.js';
import { lineBlocks, lineNumber, type LineRange } from './byte-range.js';
import { isBlank, recordLine } from './lines.js';

export function* readNdjson(range: LineRange): Generator<unknown> {
  let index = 0;
  for (const block of lineBlocks(range)) {
    for (let i = 0; i < block.length; i++, index++) {
      const line = block[i]!;
      if (isBlank(line)) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw ndjsonError(range, index, err);
      }
      yield value;
    }
  }
}

function ndjsonError(range: LineRange, index: number, err: unknown): FlowError {
  // Line numbers are counted only now: the worker knows byte offsets, not lines.
  const line = lineNumber(range, index);
  return new FlowError({
    code: 'RECORD_PARSE',
    // V8's "in JSON at position N" counts characters of the line: say it as a column.
    message: `invalid JSON: ${(err as Error).message.replace(/ in JSON at position (\d+)/, (_, p: string) => ` at column ${Number(p) + 1}`)}`,
    record: { file: range.name, line },
    hint: 'each non-blank line of an NDJSON file must be one complete JSON value',
  });
}

export function ndjsonRecordLine(range: LineRange, k: number): number | undefined {
  return recordLine(range, k, (line) => !isBlank(line));
}
