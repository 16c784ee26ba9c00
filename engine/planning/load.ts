// Stage 1: read the pipeline file.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { FlowError } from '../contract/errors.js';

/** A pipeline file is small: a larger one is refused after reading this much of it, whatever it is (a FIFO too). */
export const MAX_PIPELINE_BYTES = 1 << 20;

export interface LoadedPipeline {
  /** Absolute path. */
  file: string;
  text: string;
}

export async function loadPipeline(file: string): Promise<LoadedPipeline> {
  const absolute = path.resolve(file);
  try {
    const bytes = await readAtMost(absolute, MAX_PIPELINE_BYTES + 1);
    if (bytes.length > MAX_PIPELINE_BYTES) throw pipelineTooLarge(absolute, bytes.subarray(0, MAX_PIPELINE_BYTES).toString('utf8'));
    // A byte-order mark is not part of the YAML.
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    return { file: absolute, text };
  } catch (err) {
    if (err instanceof FlowError) throw err;
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

async function readAtMost(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let length = 0;
    while (length < limit) {
      const { bytesRead } = await handle.read(buffer, length, limit - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** Refused at the point where the file passes the limit (`head` is the text before it). */
export function pipelineTooLarge(file: string, head: string): FlowError {
  const lastLine = head.lastIndexOf('\n');
  let line = 1;
  for (let i = head.indexOf('\n'); i !== -1; i = head.indexOf('\n', i + 1)) line++;
  return new FlowError({
    code: 'YAML_TOO_LARGE',
    message: `the pipeline file is larger than ${MAX_PIPELINE_BYTES / (1 << 20)} MiB`,
    location: { file, line, column: head.length - lastLine },
    hint: 'a pipeline describes the work; data goes in the files its source reads',
  });
}
