// Output to a file, atomically: text goes to a hidden temp file in the same folder, which is fsynced
// and renamed over the target on commit. A reader sees the old file or the whole new one, never a
// part; an aborted run leaves no new file and the old one untouched. The new file keeps the old one's
// mode, and temps that dead runs left beside the target are removed (kit/serialize/temp-files.ts).
// fs.promises (and no node:crypto): this module is also in the worker bundle, whose threads never
// write output; fs.promises loads on first use, a static import of either would load as they start.
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FlowError } from '../engine/contract/errors.js';
import { createEncoder, encodingSink, formatFromPath, gzipWriter, isGzipPath, outputFormats, type TextTarget } from './kit/serialize/index.js';
import { removeStaleTemps, tempPathFor, trackTemp } from './kit/serialize/temp-files.js';
import { parquetSink } from './kit/serialize/parquet.js';
import { defineStep, type OptionIssue, type OutputFormat } from '../engine/contract/step.js';

export interface FileOutputOptions {
  path: string;
  format?: OutputFormat | 'parquet';
}

function formatOf(options: FileOutputOptions): OutputFormat | 'parquet' | undefined {
  return options.format ?? (/\.parquet$/i.test(options.path) ? 'parquet' : formatFromPath(options.path));
}

function unknownFormat(file: string): OptionIssue {
  const ext = path.extname(file);
  return {
    path: 'path',
    code: 'INVALID_VALUE',
    message: `cannot tell the output format of "${file}" from ${ext ? `its extension "${ext}"` : 'a name without an extension'}`,
    hint: 'name the file .json, .ndjson, .jsonl, .csv or .parquet, or set format: json | ndjson | csv | parquet',
  };
}

export default defineStep<FileOutputOptions>({
  kind: 'output',
  name: 'file',
  summary: 'Write the result to a file, atomically; missing folders are created.',
  description:
    'The file appears complete on success or not at all: text is written to a temporary file next to it, ' +
    'flushed to disk and renamed over the target. A failed run leaves any older file as it was. ' +
    'A .parquet path (or format: parquet) writes Parquet (snappy), column types inferred from all the values: ' +
    'booleans BOOLEAN, integers INT32 (INT64 past 32 bits), other numbers DOUBLE, strings STRING, anything else its JSON text; the records are held until the end. ' +
    'A path ending in .gz (out/x.ndjson.gz, .csv.gz, .json.gz) is written gzipped, in the format of the name before .gz.',
  options: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, description: 'The file to write, relative to the pipeline file.' },
      format: {
        type: 'string',
        enum: [...outputFormats, 'parquet'],
        description: 'json, ndjson, csv or parquet; by default from the extension (.json, .ndjson, .jsonl, .csv, also under .gz; .parquet).',
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
  examples: [
    { title: 'CSV, format from the extension', yaml: 'step: file\nwith: { path: out/delays.csv }' },
    { title: 'Newline-delimited JSON', yaml: 'step: file\nwith: { path: out/records.log, format: ndjson }' },
    { title: 'Gzipped CSV', yaml: 'step: file\nwith: { path: out/delays.csv.gz }' },
    { title: 'Parquet, column types from the values', yaml: 'step: file\nwith: { path: out/delays.parquet }' },
  ],
  check(options) {
    return formatOf(options) === undefined ? [unknownFormat(options.path)] : [];
  },
  async open(options, ctx) {
    const format = formatOf(options);
    if (format === undefined) {
      const issue = unknownFormat(options.path);
      throw new FlowError({ code: 'INVALID_VALUE', message: issue.message, path: 'output.with.path', hint: issue.hint! });
    }
    if (format === 'parquet') return parquetSink(await openAtomic(path.resolve(ctx.pipelineDir, options.path), options.path));
    const encoder = createEncoder(format);
    const target = await openAtomic(path.resolve(ctx.pipelineDir, options.path), options.path, isGzipPath(options.path));
    return encodingSink(encoder, target);
  },
});

/** A TextTarget writing to a temp file that becomes `file` on commit; with `gzip`, the text is written gzipped. */
export async function openAtomic(file: string, shown = file, gzip = false): Promise<TextTarget & { writeBytes(bytes: Uint8Array): Promise<void> }> {
  const fail = (error: unknown): FlowError =>
    new FlowError({
      code: 'OUTPUT_FAILED',
      message: `cannot write ${shown}: ${error instanceof Error ? error.message : String(error)}`,
      path: 'output.with.path',
      step: 'output (file)',
    });
  const dir = path.dirname(file);
  // Unique enough with the pid; 'wx' below refuses to reuse a name in any case.
  const temp = tempPathFor(file);
  let handle: FileHandle | undefined;
  let untrack: () => void = () => {};
  try {
    await fs.promises.mkdir(dir, { recursive: true });
    await removeStaleTemps(file);
    // Created with the old file's mode (a 0600 file is never readable by others, not even its temp);
    // chmod as well, since the umask may have taken bits the old file had.
    const mode = await fs.promises.stat(file).then(
      (stats) => (stats.isFile() ? stats.mode & 0o7777 : undefined),
      () => undefined,
    );
    handle = await fs.promises.open(temp, 'wx', mode ?? 0o666);
    untrack = trackTemp(temp);
    if (mode !== undefined) await handle.chmod(mode);
  } catch (error) {
    if (handle) {
      await handle.close().catch(() => {});
      await fs.promises.unlink(temp).catch(() => {});
      untrack();
    }
    throw fail(error);
  }
  const fh = handle;
  let closed = false;
  const discard = async (): Promise<void> => {
    if (!closed) {
      closed = true;
      await fh.close().catch(() => {});
    }
    await fs.promises.unlink(temp).catch(() => {});
    untrack();
  };
  const writeBytes = async (bytes: Buffer): Promise<void> => {
    // One batch in flight at a time: memory stays bounded by the batch, whatever the output size.
    for (let at = 0; at < bytes.length;) at += (await fh.write(bytes, at, bytes.length - at)).bytesWritten;
  };
  const gz = gzip ? gzipWriter(writeBytes) : undefined;
  return {
    async write(text) {
      try {
        await (gz ? gz.write(text) : writeBytes(Buffer.from(text, 'utf8')));
      } catch (error) {
        gz?.destroy();
        await discard();
        throw fail(error);
      }
    },
    /** Bytes as they are (Parquet), never gzipped. */
    async writeBytes(bytes) {
      try {
        await writeBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      } catch (error) {
        await discard();
        throw fail(error);
      }
    },
    async commit() {
      try {
        await gz?.end();
        await fh.sync();
        closed = true;
        await fh.close();
        await fs.promises.rename(temp, file);
        untrack();
      } catch (error) {
        await discard();
        throw fail(error);
      }
      await syncDir(dir);
    },
    async abort() {
      gz?.destroy();
      await discard();
    },
  };
}

/** Make the rename itself durable; not every platform can open a folder, so best effort. */
async function syncDir(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => {});
  await handle.close().catch(() => {});
}
