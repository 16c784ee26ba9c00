// --report FILE: written like an output, a temp beside it renamed over it; temps of killed runs are removed.
import { writeFileAtomically } from '../../../../steps/kit/serialize/temp-files.js';
import { buildReport, type Report, type ReportInput } from './build.js';

export async function writeReport(target: string, input: ReportInput): Promise<Report> {
  const report = buildReport(input);
  await writeFileAtomically(target, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
