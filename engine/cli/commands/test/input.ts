// A test's input as the pipeline's source: inline text (and plain records, as NDJSON) is written to a
// temp file and read by the real `file` source, so readers, chunking and file:line are the real ones.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StepSpec } from '../../../contract/plan.js';
import { toJson } from '../../../../steps/kit/serialize/json.js';
import type { TestInput } from './load.js';

const extensions = { ndjson: '.ndjson', csv: '.csv', tsv: '.tsv', lines: '.txt' } as const;

export interface PreparedInput {
  /** The source that replaces the pipeline's; undefined: the pipeline's own source. */
  source?: StepSpec;
  /** Records in the input when known before the run (lines of text, records). */
  records?: number;
  /** The temp folder to remove after the test, and to leave out of messages. */
  dir?: string;
}

export async function prepareInput(input: TestInput | undefined): Promise<PreparedInput> {
  if (!input) return {};
  if (input.kind === 'file') return { source: { step: 'file', with: { path: input.file } } };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flow-test-'));
  const [name, text] =
    input.kind === 'records'
      ? ['input.ndjson', input.records.map((record) => `${toJson(record)}\n`).join('')]
      : [`input${extensions[input.format]}`, input.text];
  const file = path.join(dir, name);
  await writeFile(file, text);
  const lines = text.split('\n').filter((line) => line.trim() !== '').length;
  const header = input.kind === 'text' && (input.format === 'csv' || input.format === 'tsv') ? 1 : 0;
  return { source: { step: 'file', with: { path: file } }, records: Math.max(0, lines - header), dir };
}

export async function removeInput(prepared: PreparedInput): Promise<void> {
  if (prepared.dir) await rm(prepared.dir, { recursive: true, force: true });
}
