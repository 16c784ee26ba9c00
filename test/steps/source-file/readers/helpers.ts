// Test helpers for the source steps: temp files, and a source run the way the engine runs it
// (split on this thread, then every chunk read in turn).
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import type { Chunk, SourceStep, SplitContext, SplitHints } from '../../../../engine/contract/step.js';
import { columnRecords } from '../../../../engine/testing/run-step.js';

export { columnRecords };

/** A fresh folder in os.tmpdir(), removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-src-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function write(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

export interface SourceRun {
  chunks: Chunk[];
  records: unknown[];
  total?: { chunks?: number; bytes?: number; records?: number };
}

/** A source's chunks and records; the split hints (fields, reduced) may be given beside the context. */
export async function runSource(
  step: SourceStep,
  options: object,
  ctx: Partial<Omit<SplitContext, 'hints'>> & SplitHints & { pipelineDir: string },
): Promise<SourceRun> {
  const { fields, reduced, ...rest } = ctx;
  const hints = { ...(fields ? { fields } : {}), ...(reduced !== undefined ? { reduced } : {}) };
  const plan = await step.split(options, { chunking: {}, workers: 2, ...rest, hints });
  const chunks: Chunk[] = [];
  for await (const c of plan.chunks) chunks.push({ ...c, index: chunks.length });
  // Chunks cross a thread boundary: they must survive structured cloning.
  const cloned = chunks.map((c) => structuredClone(c));
  const state = await step.setup?.(options, { pipelineDir: ctx.pipelineDir });
  const records = cloned.flatMap((c) => readBoth(step, c, state));
  return { chunks, records, ...(plan.total ? { total: plan.total } : {}) };
}

type Attempt = { value: unknown[] } | { error: unknown };

function attempt(fn: () => unknown[]): Attempt {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
}

/** A chunk's records through `read`; a source with `fast.each` must give (or throw) exactly the same, and its `fast.columns` the same records when it gives a chunk as columns. */
function readBoth(step: SourceStep, chunk: Chunk, state: unknown): unknown[] {
  const viaRead = attempt(() => [...step.read(chunk, state)]);
  if (step.fast?.each) {
    const viaEach = attempt(() => {
      const out: unknown[] = [];
      step.fast!.each!(chunk, state, (record) => out.push(record));
      return out;
    });
    expect(viaEach).toStrictEqual(viaRead);
  }
  if (step.fast?.columns) {
    const viaColumns = attempt(() => {
      const batch = step.fast!.columns!(chunk, state);
      return batch ? columnRecords(batch) : 'error' in viaRead ? [] : viaRead.value;
    });
    // A chunk that cannot be read may fail either way: the engine then reads it record by record.
    if (!('error' in viaRead)) expect(viaColumns).toStrictEqual(viaRead);
  }
  if ('error' in viaRead) throw viaRead.error;
  return viaRead.value;
}

/** The folder of the vega-datasets package's data files. */
export function vegaData(name: string): string {
  const main = createRequire(import.meta.url).resolve('vega-datasets');
  let dir = path.dirname(main);
  while (!dir.endsWith('vega-datasets')) dir = path.dirname(dir);
  return path.join(dir, 'data', name);
}

/** Runs `fn` and returns the error it throws (fails the test when it does not throw). */
export async function caught(fn: () => unknown): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
