// The fields the `file` source knows before the run: a CSV or TSV header, read from the first file.
// Other formats (and rows without a header) say nothing; so does any failure to read, which the
// run itself reports, or which `validate --offline` tolerates.
import type { StepContext } from '../../engine/contract/step.js';
import { inferFormat, readCsvHeader, resolveInputs, displayName, type CsvOptions, type Format } from './readers/index.js';

export function sourceFields(options: { path: string; format?: Format; csv?: CsvOptions }, ctx: StepContext): string[] | undefined {
  if (options.csv?.header === false) return undefined;
  try {
    const file = resolveInputs(options.path, ctx.pipelineDir)[0];
    if (file === undefined) return undefined;
    const format = options.format ?? inferFormat(file);
    if (format !== 'csv' && format !== 'tsv') return undefined;
    const delimiter = options.csv?.delimiter ?? (format === 'tsv' ? '\t' : ',');
    const names = readCsvHeader(file, displayName(file, ctx.pipelineDir), delimiter).names;
    // An empty file has no header to go by.
    return names.length > 0 ? names : undefined;
  } catch {
    return undefined;
  }
}
