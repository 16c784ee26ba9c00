// A stream's chunk as stream-chunks.ts makes it: NDJSON text of standard input, its bytes in an ArrayBuffer.
import type { Chunk } from '../../engine/contract/step.js';

export function streamChunk(index: number, text: string, line = 1): Chunk {
  const b = Buffer.from(text, 'latin1');
  const bytes = b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
  return { index, data: { format: 'ndjson', file: '-', name: '<stdin>', start: 0, end: b.length, line, bytes } };
}
