import { describe, expect, it } from 'vitest';
import { markdownSummary } from '../../../../engine/cli/github/summary.js';
import { buildReport } from '../../../../engine/cli/commands/report/build.js';
import type { RunSummary } from '../../../../engine/run/types.js';
import { FlowError } from '../../../../engine/contract/errors.js';

const summary: RunSummary = {
  name: 'delays',
  workers: 2,
  chunks: 12,
  recordsIn: 3000,
  recordsOut: 2900,
  bytes: 1_000_000,
  elapsedMs: 1234,
  peakRssMiB: 80,
  rejected: 3,
  execution: { where: 'threads', form: 'records', emit: true, reasons: [] },
  checks: [
    { name: 'not-null: origin', kind: 'not-null', severity: 'error', passed: true, checked: 2900, failing: 0, allowed: 0, examples: [], message: 'ok' },
    { name: 'a | b', kind: 'where', severity: 'warn', passed: false, checked: 2900, failing: 7, allowed: 2, examples: [], message: '7 fail' },
  ],
};

describe('the job summary', () => {
  it('status, counts, a checks table, outputs and timing', () => {
    const report = buildReport({
      file: 'pipelines/delays.yaml',
      version: '0.1.0',
      started: 0,
      ended: 1500,
      summary,
      stages: { validate: 12, run: 1100 },
      outputs: [{ kind: 'output', path: 'out/delays.csv', format: 'csv', records: 40, bytes: 900, sha256: 'a'.repeat(64), written: true }],
    });
    expect(markdownSummary(report)).toBe(
      [
        '### ✅ flow run delays (pipelines/delays.yaml): ok',
        '',
        '| records in | records out | rejected | chunks | workers | retries | elapsed |',
        '|---:|---:|---:|---:|---:|---:|---:|',
        '| 3000 | 2900 | 3 | 12 | 2 | 0 | 1.5 s |',
        '',
        '**Checks**',
        '',
        '| check | severity | result | failing / checked | allowed |',
        '|---|---|---|---:|---:|',
        '| not-null: origin | error | ✅ passed | 0 / 2900 | 0 |',
        '| a \\| b | warn | ⚠️ failed | 7 / 2900 | 2 |',
        '',
        '**Outputs**',
        '',
        '| output | path | format | records | bytes |',
        '|---|---|---|---:|---:|',
        '| output | `out/delays.csv` | csv | 40 | 900 |',
        '',
        'Timing: validate 12 ms, run 1100 ms; in all 1.5 s.',
        '',
        '',
      ].join('\n'),
    );
  });

  it('a failed run: its exit code and each error at its place', () => {
    const error = new FlowError({ code: 'UNKNOWN_STEP', message: 'no step "fliter"\nat all', location: { file: 'p.yaml', line: 8, column: 11 } });
    const md = markdownSummary(buildReport({ file: 'p.yaml', version: '0.1.0', started: 0, ended: 20, error }));
    expect(md).toContain('### ❌ flow run p.yaml: failed, exit 2\n');
    expect(md).toContain('**Errors**\n\n- p.yaml:8:11 `UNKNOWN_STEP` no step "fliter" at all\n');
    expect(md).not.toContain('records in');
  });
});
