// The Markdown job summary of a run ($GITHUB_STEP_SUMMARY): status, counts, checks, outputs, timing.
import path from 'node:path';
import { shownPath, type Report } from '../commands/report/build.js';

/** `base`: pipeline paths are shown relative to it (the workspace). */
export function markdownSummary(report: Report, base = process.cwd()): string {
  const ok = report.status === 'ok';
  const title = `${report.pipeline.name ? `${report.pipeline.name} (${report.pipeline.path})` : report.pipeline.path}`;
  const out: string[] = [`### ${ok ? '✅' : '❌'} flow run ${cell(title)}: ${ok ? 'ok' : `failed, exit ${report.exitCode}`}`, ''];
  const s = report.summary;
  if (s) {
    out.push(
      '| records in | records out | rejected | chunks | workers | retries | elapsed |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${s.recordsIn} | ${s.recordsOut} | ${s.rejected ?? 0} | ${s.chunks} | ${s.workers} | ${report.retries} | ${seconds(report.elapsedMs)} |`,
      '',
    );
  }
  if (report.checks.length > 0) {
    out.push('**Checks**', '', '| check | severity | result | failing / checked | allowed |', '|---|---|---|---:|---:|');
    for (const c of report.checks) {
      out.push(
        `| ${cell(c.name)} | ${c.severity} | ${c.passed ? '✅ passed' : c.severity === 'warn' ? '⚠️ failed' : '❌ failed'} | ${c.failing} / ${c.checked} | ${c.allowed} |`,
      );
    }
    out.push('');
  }
  if (report.outputs.length > 0) {
    out.push('**Outputs**', '', '| output | path | format | records | bytes |', '|---|---|---|---:|---:|');
    for (const o of report.outputs) {
      const where = o.stdout ? 'stdout' : `\`${cell(o.path ?? '')}\``;
      out.push(`| ${o.kind} | ${where} | ${o.format} | ${o.written ? (o.records ?? '') : 'not written'} | ${o.bytes ?? ''} |`);
    }
    out.push('');
  }
  if (report.errors.length > 0) {
    out.push('**Errors**', '');
    for (const e of report.errors) {
      const at = e.location ? `${shownPath(path.resolve(base, e.location.file), base)}:${e.location.line}:${e.location.column} ` : '';
      out.push(`- ${cell(at)}\`${e.code}\` ${cell(e.message)}`);
    }
    out.push('');
  }
  if (report.warnings.length > 0) {
    out.push('**Warnings**', '');
    for (const w of report.warnings) out.push(`- \`${w.code}\` ${cell(`${w.step ? `${w.step}: ` : ''}${w.message}`)}`);
    out.push('');
  }
  const stages = Object.entries(report.stages);
  if (stages.length > 0) out.push(`Timing: ${stages.map(([stage, ms]) => `${stage} ${ms} ms`).join(', ')}; in all ${seconds(report.elapsedMs)}.`, '');
  return `${out.join('\n')}\n`;
}

/** Text safe inside a table cell or a list item: pipes escaped, newlines as spaces, HTML tags neutralised. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
