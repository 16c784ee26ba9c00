// The main thread's locate of the file source, kept per chunk for a dead-letter run's many questions:
// it must give what recordLine (a scan from the start of the file for each question) gives.
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../../engine/contract/step.js';
import fileSource from '../../../steps/source-file/step.js';
import { chunkRecordLine } from '../../../steps/source-file/locate.js';
import { isBlank, recordLine, type FileChunk, type TextChunk } from '../../../steps/source-file/readers/index.js';
import { tempDir, write } from './readers/helpers.js';

const dir = tempDir();
const nonBlank = (line: string) => !isBlank(line);

async function chunksOf(file: string): Promise<Chunk<FileChunk>[]> {
  const plan = await fileSource.split({ path: file }, { pipelineDir: dir, chunking: { bytes: 64 }, workers: 2, hints: {} });
  const chunks: Chunk<FileChunk>[] = [];
  for await (const c of plan.chunks) chunks.push({ ...c, index: chunks.length } as Chunk<FileChunk>);
  return chunks;
}

describe('chunkRecordLine', () => {
  const lines = Array.from({ length: 120 }, (_, i) => (i % 9 === 4 ? '' : i % 13 === 0 ? '   ' : JSON.stringify({ i })));
  const file = write(dir, 'x.ndjson', `${lines.join('\n')}\n`);

  it('gives every record’s line as recordLine does, chunks asked in order, out of order, and again', async () => {
    const chunks = await chunksOf(file);
    expect(chunks.length).toBeGreaterThan(10);
    const order = [...chunks.keys(), ...[...chunks.keys()].reverse(), 3, 3, 0];
    for (const c of order) {
      const range = chunks[c]!.data as TextChunk;
      for (let k = 0; k < 12; k++) expect(chunkRecordLine(range, k, nonBlank)).toBe(recordLine(range, k, nonBlank));
    }
  });

  it('counts from the start again once the file changed', async () => {
    const other = write(dir, 'y.ndjson', `${lines.join('\n')}\n`);
    const before = await chunksOf(other);
    const last = before.at(-1)!.data as TextChunk;
    expect(chunkRecordLine(last, 0, nonBlank)).toBe(recordLine(last, 0, nonBlank));
    // The same path, now with two more lines in front: the count kept for it no longer holds.
    write(dir, 'y.ndjson', `\n\n${lines.join('\n')}\n`);
    const after = await chunksOf(other);
    for (const { data } of after.slice(-2)) {
      const range = data as TextChunk;
      expect(chunkRecordLine(range, 0, nonBlank)).toBe(recordLine(range, 0, nonBlank));
    }
  });
});
