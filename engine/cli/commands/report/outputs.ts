// What a run wrote, for the report and the closing progress line: each file's records, bytes and
// sha256 (read back once written), the dead-letter file too.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Plan } from '../../../contract/plan.js';
import type { RunResult } from '../../../run/types.js';
import { outputTarget } from '../../../run/output.js';
import type { ReportOutput } from './build.js';
import { shownPath } from './build.js';

/** The records a run wrote: a map-only run's records, a reduce's array result's length, or 1 for a single value. */
export function recordsWritten(plan: Plan, outcome: RunResult): number {
  if (!plan.reduce) return outcome.summary.recordsOut;
  return Array.isArray(outcome.result) ? outcome.result.length : 1;
}

/** The outputs of a plan; with `outcome` (a run that succeeded) their records, bytes and sha256. */
export async function describeOutputs(plan: Plan, outcome: RunResult | undefined, cwd = process.cwd(), hash = true): Promise<ReportOutput[]> {
  const outputs: ReportOutput[] = [];
  const target = outputTarget(plan);
  const written = outcome !== undefined;
  if (target?.stdout) {
    outputs.push({ kind: 'output', stdout: true, format: target.format, ...(outcome ? { records: recordsWritten(plan, outcome) } : {}), written });
  } else if (target?.path) {
    outputs.push({
      kind: 'output',
      path: shownPath(target.path, cwd),
      format: target.format,
      ...(outcome ? { records: recordsWritten(plan, outcome), ...(await fileFacts(target.path, hash)) } : {}),
      written,
    });
  }
  const deadLetter = plan.onError.action === 'dead-letter' ? plan.onError.deadLetter : undefined;
  if (deadLetter) {
    outputs.push({
      kind: 'dead-letter',
      path: shownPath(deadLetter, cwd),
      format: 'ndjson',
      ...(outcome ? { records: outcome.summary.rejected ?? 0, ...(await fileFacts(deadLetter, hash)) } : {}),
      written,
    });
  }
  return outputs;
}

async function fileFacts(file: string, hash: boolean): Promise<{ bytes?: number; sha256?: string }> {
  try {
    const { size } = await stat(file);
    return hash ? { bytes: size, sha256: await sha256(file) } : { bytes: size };
  } catch {
    return {};
  }
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const digest = createHash('sha256');
    createReadStream(file)
      .on('data', (data) => digest.update(data))
      .on('error', reject)
      .on('end', () => resolve(digest.digest('hex')));
  });
}
