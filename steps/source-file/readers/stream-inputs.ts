// Main thread: the chunks of inputs among which some are streams (gzip files, FIFOs, standard input).
// Files still go by byte ranges; each stream is decoded in one place and cut into chunks of lines
// (stream-chunks.ts). Streams after the one being consumed start early, up to one per worker, each
// holding at most a few chunks: a glob of .gz files inflates several files at once (zlib runs off
// this thread), yet the chunks go out strictly in file order and memory stays bounded.
import { FlowError } from '../../../engine/contract/errors.js';
import { fileChunks, type Cut, type FileChunkOut, type FileInput } from './split-file.js';
import { streamChunks, type StreamChunk } from './stream-chunks.js';
import { decodedStream, openByteStream } from './stream-open.js';
import type { TextChunk, TextFormat } from './chunks.js';

const textFormats: readonly TextFormat[] = ['ndjson', 'csv', 'tsv', 'lines'];

/** Chunks a stream holds ahead of the one being consumed. */
const AHEAD = 2;
const MiB = 1 << 20;

/**
 * Bytes per chunk of a stream, whose size is unknown: `chunking.bytes`, else 2 MiB. Small, as a chunk
 * is held in memory twice (here and in its worker) where a file's range is read into recycled buffers:
 * the 277 MB gzip group-by peaked at 337 MiB with 4 MiB chunks, 270 MiB with 2 MiB (1 MiB: 215 MiB
 * but much slower, each chunk a round trip and a partial result to merge).
 */
export function streamChunkBytes(cut: Cut): number {
  if (cut.chunking.bytes !== undefined) return Math.max(1, Math.floor(cut.chunking.bytes));
  // chunking.records: a guess at 200 bytes a line, then the chunker keeps to whole lines.
  if (cut.chunking.records !== undefined) return Math.max(1, Math.round(cut.chunking.records * 200));
  return 2 * MiB;
}

/** The chunks of one stream input. */
export function streamInput(input: FileInput, cut: Cut): AsyncGenerator<StreamChunk> {
  if (!(textFormats as readonly string[]).includes(input.format)) {
    throw new FlowError({
      code: 'INVALID_VALUE',
      message: `${input.name}: format ${input.format} is read from plain files only, not from ${input.stream === 'gzip' ? 'gzip' : 'a stream'}`,
      path: 'format',
      record: { file: input.name },
      hint: 'write one JSON value per line (format: ndjson), or decompress the file first',
    });
  }
  const format = input.format as TextFormat;
  const csv =
    format === 'csv' || format === 'tsv'
      ? { header: cut.csv?.header ?? true, delimiter: cut.csv?.delimiter ?? (format === 'tsv' ? '\t' : ','), infer: cut.csv?.infer ?? true }
      : undefined;
  const text = decodedStream(openByteStream(input.file), input.name, format);
  return streamChunks(text, {
    format,
    file: input.file,
    name: input.name,
    bytes: streamChunkBytes(cut),
    ...(csv ? { csv } : {}),
    ...(cut.fields ? { fields: cut.fields } : {}),
  });
}

/** Every input's chunks in input order; streams read ahead as the file comment says. */
export async function* mixedChunks(inputs: FileInput[], cut: Cut, texts: Map<FileInput, TextChunk[]>): AsyncGenerator<FileChunkOut> {
  const streams = inputs.map((input, i) => ({ input, i })).filter((s) => s.input.stream !== undefined);
  const started = new Map<number, Prefetch>();
  const parallel = Math.max(1, cut.workers || 1);
  try {
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      if (input.stream === undefined) {
        yield* fileChunks([input], cut, texts);
        continue;
      }
      // This stream and the next few start now.
      for (const s of streams) {
        if (s.i < i || started.has(s.i)) continue;
        if (started.size >= parallel) break;
        started.set(s.i, new Prefetch(streamInput(s.input, cut), s.i === i ? 1 : AHEAD));
      }
      yield* started.get(i)!.drain();
      started.delete(i);
    }
  } finally {
    // A failed or interrupted run: streams are closed, without waiting for reads under way.
    for (const p of started.values()) p.stop();
  }
}

/** A stream's chunks, up to `ahead` of them taken before they are asked for. */
class Prefetch {
  private readonly held: Array<Promise<IteratorResult<StreamChunk>>> = [];
  private done = false;
  constructor(
    private readonly it: AsyncGenerator<StreamChunk>,
    ahead: number,
  ) {
    for (let k = 0; k < ahead; k++) this.pull();
  }

  private pull(): void {
    const next = this.it.next();
    // Failures surface when the chunk's turn comes; never as unhandled rejections before that.
    next.catch(() => {});
    this.held.push(next);
  }

  async *drain(): AsyncGenerator<StreamChunk> {
    for (;;) {
      if (this.held.length === 0) this.pull();
      const next = await this.held.shift()!;
      if (next.done) {
        this.done = true;
        return;
      }
      // The next chunk is cut while this one is taken.
      this.pull();
      yield next.value;
    }
  }

  stop(): void {
    if (this.done) return;
    this.done = true;
    void Promise.allSettled(this.held)
      .then(() => this.it.return(undefined))
      .catch(() => {});
  }
}
