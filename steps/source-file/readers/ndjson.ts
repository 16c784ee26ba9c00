// NDJSON: one JSON value per line; blank lines are skipped.
import { FlowError } from '../../../engine/contract/errors.js';
import { fastPathOn } from '../../../engine/contract/fast-paths.js';
import { lineNumber, sizes, type LineRange } from './byte-range.js';
import { lineBlocks, textBlocks } from './text-blocks.js';
import { DuplicateKey, duplicateError, NumberOverflow, overflowError, parseExact } from './exact-json.js';
import { isBlank, recordLine } from './lines.js';
import { linePicker, wholeLinePicker, type LinePicker } from './ndjson-fields.js';
import { rejecter } from './reject.js';
import { BadLines, utf8LineError } from './utf8.js';

/** With `fields`, records keep only those top-level fields (see ndjson-fields.ts). */
export function readNdjson(range: LineRange & { fields?: string[]; rejects?: boolean }): unknown[] {
  const records: unknown[] = [];
  eachNdjson(range, (record) => records.push(record));
  return records;
}

/** Hands each record to `emit`, in order: the reader's hot loop, with no iterator per record. */
export function eachNdjson(range: LineRange & { fields?: string[]; rejects?: boolean }, emit: (record: unknown) => void): void {
  if (range.fields) eachProjected(range, range.fields, emit);
  else eachWhole(range, emit);
}

function eachWhole(range: LineRange & { rejects?: boolean }, emit: (record: unknown) => void): void {
  const reject = rejecter(range);
  // A line of invalid UTF-8 is rejected (or thrown, without on-error) alone, in its turn (utf8.ts).
  const bad = new BadLines();
  let index = 0;
  for (const block of lineBlocks(range, bad)) {
    let b = bad.lines.length > 0 ? 0 : -1; // the next bad line of the block
    for (let i = 0; i < block.length; i++, index++) {
      const line = block[i]!;
      if (b >= 0 && bad.lines[b] === i) {
        emit(reject(index, line, utf8LineError, range.name, bad.columns[b]!, bad.bytes[b]!));
        if (++b === bad.lines.length) b = -1;
        continue;
      }
      if (isBlank(line)) continue;
      let value: unknown;
      try {
        value = wholeLine(line, 0, line.length);
      } catch (err) {
        emit(reject(index, line, ndjsonError, range, index, err));
        continue;
      }
      emit(value);
    }
  }
}

// One picker per worker and field list: its compiled line shapes (a regex and an object builder)
// then stay warm across chunks instead of being compiled and optimised again for every chunk.
const pickers = new Map<string, ReturnType<typeof linePicker>>();
// FLOW_NO_SHAPES=1: every whole line through parseExact (the slow path the shapes must equal).
const wholeLine: LinePicker = fastPathOn('shapes') ? wholeLinePicker() : (s, start, end) => parseExact(s.slice(start, end));

function pickerFor(fields: string[]): ReturnType<typeof linePicker> {
  const key = JSON.stringify(fields);
  let picker = pickers.get(key);
  if (!picker) pickers.set(key, (picker = linePicker(fields)));
  return picker;
}

// Walks the lines of each block by index, without splitting it into strings.
function eachProjected(range: LineRange & { rejects?: boolean }, fields: string[], emit: (record: unknown) => void): void {
  const pickLine = pickerFor(fields);
  const reject = rejecter(range);
  const bad = new BadLines();
  let index = 0;
  // 64 KiB texts are made in V8's young space; a 1 MiB one takes fresh pages (see textBlocks).
  for (const text of textBlocks(range, sizes.piece, bad)) {
    let b = bad.starts.length > 0 ? 0 : -1; // the next line of invalid UTF-8 in the text
    for (let pos = 0; ; index++) {
      const nl = text.indexOf('\n', pos);
      const stop = nl < 0 ? text.length : nl;
      const end = stop > pos && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
      if (b >= 0 && bad.starts[b] === pos) {
        emit(reject(index, text.slice(pos, end), utf8LineError, range.name, bad.columns[b]!, bad.bytes[b]!));
        if (++b === bad.starts.length) b = -1;
      } else if (end > pos && (text.charCodeAt(pos) > 32 || text.slice(pos, end).trim() !== '')) {
        // That was isBlank of the line, without slicing it unless it starts with a control or blank.
        let value: unknown;
        try {
          value = pickLine(text, pos, end);
        } catch (err) {
          value = reject(index, text.slice(pos, end), ndjsonError, range, index, err);
        }
        emit(value);
      }
      if (nl < 0) {
        index++; // the text's last line: the next text starts with the line after it
        break;
      }
      pos = nl + 1;
    }
  }
}

// Line numbers are counted only now: the worker knows byte offsets, not lines.
function ndjsonError(range: LineRange, index: number, err: unknown, line = lineNumber(range, index)): FlowError {
  if (err instanceof NumberOverflow) return overflowError(range.name, line, err);
  if (err instanceof DuplicateKey) return duplicateError(range.name, line, err);
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
