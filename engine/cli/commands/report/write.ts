// --report FILE: written like an output, a temp beside it renamed over it; temps of killed runs are removed.
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps, tempPathFor, trackTemp } from '../../../../steps/kit/serialize/temp-files.js';
import { buildReport, type Report, type ReportInput } from './build.js';

export async function writeReport(target: string, input: ReportInput): Promise<Report> {
  const report = buildReport(input);
  const file = path.resolve(target);
  await mkdir(path.dirname(file), { recursive: true });
  await removeStaleTemps(file);
  const temp = tempPathFor(file);
  const untrack = trackTemp(temp);
  try {
    await writeFile(temp, `${JSON.stringify(report, null, 2)}\n`, { flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  } finally {
    untrack();
  }
  return report;
}
