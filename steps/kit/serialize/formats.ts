// Output formats and the file extensions that imply them.
import path from 'node:path';
import type { OutputFormat } from '../../../engine/contract/step.js';

export const outputFormats: readonly OutputFormat[] = ['json', 'ndjson', 'csv'];

const byExtension: Record<string, OutputFormat> = { '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' };

/** The format a file name implies (case-insensitive), or undefined. */
export function formatFromPath(file: string): OutputFormat | undefined {
  // x.csv.gz: the format of x.csv, written gzipped (gzip.ts).
  const ext = path.extname(file.replace(/\.gz$/i, '')).toLowerCase();
  return Object.hasOwn(byExtension, ext) ? byExtension[ext] : undefined;
}
