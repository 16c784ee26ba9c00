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
      const width = Math.max(1, Math.min(loc.length ?? 1, sourceLine.length - loc.column + 1));
      // Keep tabs so the carets line up under a tab-indented source line.
      const pad = sourceLine.slice(0, loc.column - 1).replace(/[^\t]/g, ' ');
      lines.push(`${blue(`${gutter} |`)} ${sourceLine}`, `${blue(`${' '.repeat(gutter.length)} |`)} ${pad}${red('^'.repeat(width))}`);
    }
  }
  if (e.record) lines.push(`  at ${recordOrigin(e.record)}`);
  if (e.hint) lines.push(`  ${cyan('hint')}: ${e.hint}`);
  return lines.join('\n');
}

function recordOrigin(record: NonNullable<FlowError['record']>): string {
  if (record.file)
    return record.line !== undefined
      ? `${displayPath(record.file)}:${record.line}`
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
