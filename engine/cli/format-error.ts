// Prints errors like a compiler: file:line:col, the source line, a caret run, a hint. A FlowError
// never shows a stack; anything else is a bug in flow and shows everything.
import path from 'node:path';
import { FlowError, FlowErrors } from '../contract/errors.js';

export interface FormatOptions {
  color?: boolean;
}

type Paint = (text: string) => string;

function painter(on: boolean, code: string): Paint {
  return on ? (text) => `\x1b[${code}m${text}\x1b[0m` : (text) => text;
}

export function formatError(err: unknown, readSource: (file: string) => string | undefined, opts: FormatOptions = {}): string {
  const color = opts.color === true;
  if (err instanceof FlowErrors) return err.errors.map((e) => formatOne(e, readSource, color)).join('\n\n');
  if (err instanceof FlowError) return formatOne(err, readSource, color);
  return formatBug(err, color);
}

/** A path relative to the current directory when it is inside it. */
export function displayPath(file: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function formatOne(e: FlowError, readSource: (file: string) => string | undefined, color: boolean): string {
  const bold = painter(color, '1');
  const red = painter(color, '1;31');
  const blue = painter(color, '1;34');
  const cyan = painter(color, '36');
  const subject = e.path ?? e.step;
  const head = `${red('error')}${bold(`: ${subject ? `${subject}: ` : ''}${e.message}`)}`;
  const lines: string[] = [];
  const loc = e.location;
  lines.push(loc ? `${bold(`${displayPath(loc.file)}:${loc.line}:${loc.column}`)} ${head}` : head);
  if (loc) {
    const sourceLine = readSource(loc.file)?.split(/\r?\n/)[loc.line - 1];
    if (sourceLine !== undefined) {
      const gutter = String(loc.line).padStart(5);
      const shown = frameWindow(sourceLine, loc.column, loc.length ?? 1);
      // Keep tabs so the carets line up under a tab-indented source line.
      const pad = shown.text.slice(0, shown.column - 1).replace(/[^\t]/g, ' ');
      lines.push(`${blue(`${gutter} |`)} ${shown.text}`, `${blue(`${' '.repeat(gutter.length)} |`)} ${pad}${red('^'.repeat(shown.width))}`);
    }
  }
  if (e.record) lines.push(`  at ${recordOrigin(e.record)}`);
  if (e.hint) lines.push(`  ${cyan('hint')}: ${e.hint}`);
  return lines.join('\n');
}

/** The most characters of a source line a frame shows: a 5 MB NDJSON line must not flood the terminal. */
export const FRAME_WIDTH = 120;

/**
 * The part of `line` around `column` (1-based) that a frame shows: at most FRAME_WIDTH characters, with
 * `…` on each cut side; `column` and the caret run's `width` are given for the text shown.
 */
export function frameWindow(line: string, column: number, length: number): { text: string; column: number; width: number } {
  const col = Math.max(1, Math.min(column, line.length + 1));
  if (line.length <= FRAME_WIDTH) return { text: line, column: col, width: Math.max(1, Math.min(length, line.length - col + 1)) };
  // About a third of the window before the caret, the rest after it; never a window past either end.
  let from = Math.max(0, Math.min(col - 1 - Math.floor(FRAME_WIDTH / 3), line.length - FRAME_WIDTH));
  const to = Math.min(line.length, from + FRAME_WIDTH);
  // A cut between the halves of a surrogate pair would print a lone half.
  if (from > 0 && isLowSurrogate(line.charCodeAt(from))) from++;
  const cutEnd = to < line.length && isLowSurrogate(line.charCodeAt(to)) ? to - 1 : to;
  const head = from > 0 ? '…' : '';
  const tail = cutEnd < line.length ? '…' : '';
  const text = `${head}${line.slice(from, cutEnd)}${tail}`;
  return { text, column: col - from + head.length, width: Math.max(1, Math.min(length, cutEnd - col + 1)) };
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function recordOrigin(record: NonNullable<FlowError['record']>): string {
  if (record.file)
    return record.line !== undefined
      ? `${displayPath(record.file)}:${record.line}`
      : record.row !== undefined
        ? `${displayPath(record.file)} row ${record.row}`
        : `${displayPath(record.file)}${record.index !== undefined ? ` (record ${record.index})` : ''}`;
  if (record.index !== undefined) return `record ${record.index}${record.chunk !== undefined ? ` (chunk ${record.chunk})` : ''}`;
  return record.chunk !== undefined ? `chunk ${record.chunk}` : 'an unknown record';
}

function formatBug(err: unknown, color: boolean): string {
  const red = painter(color, '1;31');
  const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : `thrown value: ${safeString(err)}`;
  const cause =
    err instanceof Error && err.cause !== undefined
      ? `\ncaused by: ${err.cause instanceof Error ? (err.cause.stack ?? err.cause.message) : safeString(err.cause)}`
      : '';
  return `${red('internal error')}: this is a bug in flow, please report it with the trace below\n${detail}${cause}`;
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
