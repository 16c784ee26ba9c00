// A chunk that carries its data instead of naming a byte range of a file: a stream's (gzip, standard
// input, a URL without ranges: stream-chunks.ts), its bytes cut on the main thread, or a URL's range
// fetched by a queue worker, as text. The pool ships such bytes through shared slots
// (pool/shared-text.ts) to threads that yield to their feeder (pool/feeder-first.ts); a queue refuses
// such chunks (queue/failures.ts); the checks keep them for their examples only when they must.
import type { Chunk } from '../contract/step.js';

/** The bytes the chunk's data carries, or undefined. */
export function carriedBytes(chunk: Chunk): ArrayBufferLike | undefined {
  const bytes = (chunk.data as { bytes?: unknown } | null)?.bytes;
  return bytes instanceof ArrayBuffer || bytes instanceof SharedArrayBuffer ? bytes : undefined;
}

/** The chunk's data carries its records' text, as bytes or a string: there is no file to read them from. */
export function carriesData(chunk: Chunk): boolean {
  return carriedBytes(chunk) !== undefined || typeof (chunk.data as { text?: unknown } | null)?.text === 'string';
}
