// Stage 1: read the pipeline file.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FlowError } from '../contract/errors.js';

export interface LoadedPipeline {
  /** Absolute path. */
  file: string;
  text: string;
}

export async function loadPipeline(file: string): Promise<LoadedPipeline> {
  const absolute = path.resolve(file);
  try {
    // A byte-order mark is not part of the YAML.
    const text = (await readFile(absolute, 'utf8')).replace(/^\uFEFF/, '');
    return { file: absolute, text };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    throw new FlowError({
      code: 'FILE_NOT_FOUND',
      message: `cannot read the pipeline file ${file}: ${reason}`,
      ...(code === 'ENOENT' ? { hint: `looked for ${absolute}` } : {}),
    });
  }
}
