// What `flow inspect` prints: a table of the columns for people, or one JSON object for machines
// (its fields are listed in the README, "flow inspect").
import { toJson } from '../../../../steps/kit/serialize/index.js';
import { displayPath } from '../../format-error.js';
import type { ColumnReport, ProfileReport } from './profile.js';

export interface Inspection {
  inputs: Array<{ path: string; bytes: number; format?: string }>;
  report: ProfileReport;
  /** --sample N: only the first N records were read. */
  sample?: number;
}

export function renderJson(inspection: Inspection): string {
  const { inputs, report, sample } = inspection;
  return `${toJson({
    inputs: inputs.map((input) => ({ path: shown(input.path), bytes: input.bytes, ...(input.format ? { format: input.format } : {}) })),
    records: report.records,
    sampled: sample !== undefined,
    columns: report.columns,
    samples: report.samples,
  })}\n`;
}

export function renderText(inspection: Inspection): string {
  const { inputs, report, sample } = inspection;
  const lines: string[] = [];
  const formats = [...new Set(inputs.map((input) => input.format).filter(Boolean))].join(', ');
  const bytes = inputs.reduce((sum, input) => sum + input.bytes, 0);
  const names = inputs.map((input) => shown(input.path));
  const what = names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more files`;
  const records = `${report.records} record${report.records === 1 ? '' : 's'}`;
  const read = sample !== undefined && report.records >= sample ? `the first ${records} (--sample ${sample})` : records;
  lines.push(
    `${what} (${[formats, bytes > 0 ? size(bytes) : ''].filter(Boolean).join(', ')}): ${read}, ${report.columns.length} column${report.columns.length === 1 ? '' : 's'}`,
  );
  if (report.columns.length > 0) {
    const width = Math.min(40, Math.max(6, ...report.columns.map((c) => c.name.length)));
    lines.push('', `  ${'column'.padEnd(width)}  type`);
    for (const c of report.columns) lines.push(`  ${c.name.padEnd(width)}  ${typeText(c)}`);
  }
  if (report.samples.length > 0) {
    lines.push('', `first ${report.samples.length === 1 ? 'record' : `${report.samples.length} records`}:`);
    for (const record of report.samples) lines.push(`  ${toJson(record)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** "integer", "integer (3 null)", "mixed: integer 10, string 2 (1 null, all missing)". */
export function typeText(c: ColumnReport): string {
  const mixed =
    c.type === 'mixed'
      ? `: ${Object.entries(c.values)
          .filter(([kind]) => kind !== 'null')
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', ')}`
      : '';
  const missing = c.missing === 0 ? '' : c.missing === c.nulls ? ', all missing' : `, ${c.missing} missing`;
  return `${c.type}${mixed}${c.nulls > 0 && c.type !== 'null' ? ` (${c.nulls} null${missing})` : c.type === 'null' && c.missing > 0 ? ` (${c.missing} missing)` : ''}`;
}

/** A file relative to the current folder when inside it; standard input as <stdin>; a URL as is. */
function shown(file: string): string {
  return file === '-' ? '<stdin>' : displayPath(file);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
