// Output to standard output, streamed with backpressure. A reader that goes away (`| head -1`) is
// not an error: the sink stops writing quietly and reports `closed`, so the engine may stop early.
import type { FileHandle } from 'node:fs/promises';
import { open, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FlowError } from '../engine/contract/errors.js';
import { tempPathFor, trackTemp } from './kit/serialize/temp-files.js';
import { createEncoder, encodingSink, outputFormats, type TextTarget } from './kit/serialize/index.js';
import { defineStep, type OutputFormat, type OutputSink } from '../engine/contract/step.js';

export interface StdoutOptions {
  format?: OutputFormat;
}

export default defineStep<StdoutOptions>({
  kind: 'output',
  name: 'stdout',
  summary: 'Write the result to standard output (JSON by default).',
  description: 'Records are streamed as they come; progress goes to stderr, so stdout holds only the result.',
  options: {
    type: 'object',
    properties: {
      format: { type: 'string', enum: [...outputFormats], default: 'json', description: 'json (default), ndjson or csv.' },
    },
    additionalProperties: false,
  },
  examples: [
    { title: 'JSON (the default)', yaml: 'step: stdout' },
    { title: 'One record per line', yaml: 'step: stdout\nwith: { format: ndjson }' },
  ],
  open(options, ctx) {
    // A verdict still to come (data checks, --strict): the records wait in a temp file until commit.
    return ctx.held ? heldSink(process.stdout, options.format ?? 'json') : streamSink(process.stdout, options.format ?? 'json');
  },
});

/** An OutputSink over any writable stream (process.stdout, or a test's stream). */
export function streamSink(stream: NodeJS.WritableStream, format: OutputFormat): OutputSink & { readonly closed: boolean } {
  const target = streamTarget(stream);
  const sink = encodingSink(createEncoder(format), target);
  // defineProperty, not Object.assign: a getter must stay live, not be copied as its current value.
  return Object.defineProperty(sink, 'closed', { get: () => target.closed, enumerable: true }) as OutputSink & { readonly closed: boolean };
}

/** Like streamSink, but nothing reaches the stream before commit: the text is spooled to a temp file, removed on abort. */
export function heldSink(stream: NodeJS.WritableStream, format: OutputFormat): OutputSink & { readonly closed: boolean } {
  const target = streamTarget(stream);
  const spool = spoolTarget(target);
  const sink = encodingSink(createEncoder(format), spool);
  return Object.defineProperty(sink, 'closed', { get: () => target.closed, enumerable: true }) as OutputSink & { readonly closed: boolean };
}

function spoolTarget(out: TextTarget): TextTarget {
  const file = tempPathFor(path.join(os.tmpdir(), 'flow-stdout'));
  const untrack = trackTemp(file);
  let handle: FileHandle | undefined;
  const remove = async (): Promise<void> => {
    await handle?.close().catch(() => {});
    handle = undefined;
    await unlink(file).catch(() => {});
    untrack();
  };
  return {
    async write(text) {
      handle ??= await open(file, 'wx+', 0o600);
      await handle.write(text);
    },
    async commit() {
      try {
        if (handle) {
          // Read back a piece at a time: memory stays bounded however much was held.
          for await (const piece of handle.createReadStream({ start: 0, encoding: 'utf8', highWaterMark: 1 << 20, autoClose: false })) {
            if (out.closed) break;
            await out.write(piece as string);
          }
        }
        await out.commit();
      } finally {
        await remove();
      }
    },
    async abort() {
      await remove();
      await out.abort();
    },
  };
}

function streamTarget(stream: NodeJS.WritableStream): TextTarget & { readonly closed: boolean } {
  let closed = false;
  let failure: Error | undefined;
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
    else failure ??= error;
  };
  stream.on('error', onError);
  const check = (): void => {
    if (failure) throw new FlowError({ code: 'OUTPUT_FAILED', message: `cannot write to standard output: ${failure.message}`, step: 'output (stdout)' });
  };
  // Resolves on drain, or on anything that means no drain will come.
  const settled = (): Promise<void> =>
    new Promise((resolve) => {
      if ((stream as { destroyed?: boolean }).destroyed) return resolve();
      const done = (): void => {
        stream.off('drain', done).off('error', done).off('close', done);
        resolve();
      };
      stream.on('drain', done).on('error', done).on('close', done);
    });
  const flushed = (): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return resolve();
      stream.write('', () => resolve());
    });
  return {
    get closed() {
      return closed;
    },
    async write(text) {
      check();
      if (closed) return;
      if (!stream.write(text)) await settled();
      check();
    },
    async commit() {
      await flushed();
      // A late EPIPE must not become an uncaught error once we are gone: keep a quiet listener.
      quiet(stream, onError);
      check();
    },
    async abort() {
      quiet(stream, onError);
    },
  };
}

function ignore(): void {}

function quiet(stream: NodeJS.WritableStream, onError: (error: NodeJS.ErrnoException) => void): void {
  stream.off('error', onError);
  if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
}
