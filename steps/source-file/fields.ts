// The fields the `file` source knows before the run: a CSV or TSV header, or a Parquet schema, read from the first file.
// Other formats (and rows without a header) say nothing; so does any failure to read, which the
// run itself reports, or which `validate --offline` tolerates.
import type { StepContext } from '../../engine/contract/step.js';
import fs from 'node:fs';
import { zlib } from '../kit/zlib.js';
import { inferFormat, headerNames, readCsvHeader, resolveInputs, displayName, STDIN, type CsvOptions, type Format } from './readers/index.js';
import { isGzipFile } from './readers/split-file-detection.js';
import { readParquetMetadata, topLevelNames } from './parquet/index.js';

export function sourceFields(options: { path: string; format?: Format; csv?: CsvOptions }, ctx: StepContext): string[] | undefined {
  if (options.csv?.header === false) return undefined;
  try {
    const file = resolveInputs(options.path, ctx.pipelineDir)[0];
    if (file === undefined) return undefined;
    const format = options.format ?? inferFormat(file);
    // Parquet: the schema's top-level columns, from the footer.
    if (format === 'parquet') return topLevelNames(readParquetMetadata(file, displayName(file, ctx.pipelineDir)));
    if (format !== 'csv' && format !== 'tsv') return undefined;
    const delimiter = options.csv?.delimiter ?? (format === 'tsv' ? '\t' : ',');
    const name = displayName(file, ctx.pipelineDir);
    // A stream is read once, by the run: standard input and FIFOs say nothing here.
    if (file === STDIN || !fs.statSync(file).isFile()) return undefined;
    const names = isGzipFile(file, name) ? gzipHeader(file, name, delimiter) : readCsvHeader(file, name, delimiter).names;
    // An empty file has no header to go by.
    return names.length > 0 ? names : undefined;
  } catch {
    return undefined;
  }
}

/** The header of a gzip CSV file: the first line of what its first 64 KiB inflate to. */
function gzipHeader(file: string, name: string, delimiter: string): string[] {
  const fd = fs.openSync(file, 'r');
  let text: Buffer;
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    // A sync flush at the end: what the bytes read so far give, without asking for the rest.
    text = zlib().gunzipSync(head.subarray(0, n), { finishFlush: zlib().constants.Z_SYNC_FLUSH });
  } finally {
    fs.closeSync(fd);
  }
  const nl = text.indexOf(10);
  return headerNames(nl >= 0 ? text.subarray(0, nl) : text, delimiter, name);
}
