// Main thread: the chunks of an http(s) URL. A ranged GET of its first byte tells whether the server
// answers byte ranges. With the split hint `portable` (--queue) the chunks are byte ranges each worker
// fetches itself (portable.ts). Else the file is fetched in pieces, several at a time (ranges.ts), or as one
// body. Either way the bytes go through the stream path (stream-open.ts, stream-chunks.ts): gzip
// known by its magic bytes, binary refused, cut into chunks of whole lines that carry their text and
// first line number, so records are aligned and located exactly as for a local stream.
import { FlowError } from '../../../engine/contract/errors.js';
import type { SourcePlan, SplitContext } from '../../../engine/contract/step.js';
import { inferFormat, type CsvOptions, type Format, type TextChunk, type TextFormat } from '../readers/index.js';
import { streamChunks } from '../readers/stream-chunks.js';
import { streamChunkBytes } from '../readers/stream-inputs.js';
import { decodedStream } from '../readers/stream-open.js';
import { portablePlan } from './portable.js';
import { probeUrl } from './probe.js';
import { bodyBytes, rangeBytes } from './ranges.js';

/** Bytes per ranged GET, unless `chunking.bytes` says otherwise. */
const PIECE = 8 << 20;
const textFormats: readonly Format[] = ['ndjson', 'csv', 'tsv', 'lines'];

/** `path` is an http(s) URL, not a file name. */
export function isUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

export async function urlPlan(options: { path: string; format?: Format; csv?: CsvOptions }, ctx: SplitContext): Promise<SourcePlan<TextChunk>> {
  const url = options.path;
  const format = options.format ?? inferFormat(new URL(url).pathname);
  if (format === undefined) {
    throw new FlowError({
      code: 'INVALID_VALUE',
      message: `cannot tell the format of ${url} from its name`,
      path: 'format',
      hint: 'set format: ndjson, csv, tsv or lines',
    });
  }
  // json (one array) and parquet are read from files: byte ranges of a file on disk, its footer.
  if (!textFormats.includes(format)) {
    throw new FlowError({
      code: 'INVALID_VALUE',
      message: `${url}: format ${format} is read from local files only, not from a URL`,
      path: 'format',
      hint: 'download the file first, or serve it as NDJSON or CSV',
    });
  }
  const text = format as TextFormat;
  const probe = await probeUrl(url);
  // Chunks for other machines: byte ranges each worker fetches itself (portable.ts).
  if (ctx.hints.portable) return portablePlan(url, text, options.csv, probe, ctx);
  const cut = { chunking: ctx.chunking, workers: ctx.workers, totalBytes: probe.size ?? 0, reduced: ctx.hints.reduced === true };
  const bytes = streamChunkBytes(cut);
  // A request per piece: larger than a chunk, so a distant server's round trips cost little.
  const piece = ctx.chunking.bytes !== undefined ? bytes : PIECE;
  const version = { size: probe.size ?? 0, ...(probe.etag ? { etag: probe.etag } : {}) };
  const raw = probe.ranges && version.size > 0 ? rangeBytes(url, version, piece, Math.max(2, ctx.workers)) : bodyBytes(url);
  const csv =
    text === 'csv' || text === 'tsv'
      ? { header: options.csv?.header ?? true, delimiter: options.csv?.delimiter ?? (text === 'tsv' ? '\t' : ','), infer: options.csv?.infer ?? true }
      : undefined;
  const chunks = streamChunks(decodedStream(raw, url, text), {
    format: text,
    file: url,
    name: url,
    bytes,
    ...(csv ? { csv } : {}),
    ...(ctx.hints.fields ? { fields: ctx.hints.fields } : {}),
    ...(ctx.hints.rejects ? { rejects: true } : {}),
  });
  return { chunks, total: {}, inputs: [{ path: url, bytes: probe.size ?? 0, format }] };
}
