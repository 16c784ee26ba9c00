// The files a run reads must be the files it was planned with: the coordinator records each input's
// size and mtime, and a worker checks them before it reads a chunk.
import { statSync } from 'node:fs';
import path from 'node:path';
import { FlowError } from '../../contract/errors.js';
import type { Chunk } from '../../contract/step.js';

export interface InputStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

/** The local files among a source's inputs (URLs are left out: a server has no mtime to trust), stamped now. */
export function stampInputs(inputs: Array<{ path: string }> | undefined): InputStamp[] {
  const stamps: InputStamp[] = [];
  for (const { path: file } of inputs ?? []) {
    if (!path.isAbsolute(file)) continue;
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile()) stamps.push({ path: file, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return stamps;
}

/**
 * The inputs a chunk reads. A descriptor that names one of the run's inputs as its `file` (as a byte
 * range or a row group of the file source does) reads that one; any other is checked against them
 * all. This reads no source's internals: it only matches a string the descriptor already carries
 * against the paths the source itself reported at planning, so a source that names no file costs a
 * stat of every input per chunk, and one that does costs one.
 */
export function chunkInputs(chunk: Chunk, stamps: InputStamp[]): InputStamp[] {
  const file = (chunk.data as { file?: unknown } | null)?.file;
  const named = typeof file === 'string' ? stamps.find((s) => s.path === file) : undefined;
  return named ? [named] : stamps;
}

/** Throws INPUT_CHANGED naming the first input whose size or mtime is not the planned one. */
export function checkInputs(stamps: InputStamp[], shown: (file: string) => string): void {
  for (const stamp of stamps) {
    const stat = statSync(stamp.path, { throwIfNoEntry: false });
    const found = stat ? `${stat.size} bytes, mtime ${new Date(stat.mtimeMs).toISOString()}` : 'no such file';
    if (stat && stat.size === stamp.size && stat.mtimeMs === stamp.mtimeMs) continue;
    throw new FlowError({
      code: 'INPUT_CHANGED',
      message: `${shown(stamp.path)} changed after the run was planned: planned ${stamp.size} bytes, mtime ${new Date(stamp.mtimeMs).toISOString()}; found ${found}`,
      record: { file: shown(stamp.path) },
      hint: 'every machine must read the same file: do not write an input while a run reads it, then run again',
    });
  }
}
