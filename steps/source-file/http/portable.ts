// Main thread, when chunks must be portable (the split hint, `flow run --queue`): a URL cut into byte
// ranges that each worker fetches itself (range-text.ts), never its data. Only the head is fetched
// here: to see the text is not gzip or binary, and to read a CSV header once. A server without byte
// ranges, or a gzip file (a stream that cannot be cut), is refused, naming the URL and why.
import { FlowError } from '../../../engine/contract/errors.js';
import type { SourcePlan, SplitContext } from '../../../engine/contract/step.js';
import { chunkBytes, headerNames, type CsvOptions, type CsvSettings, type TextChunk, type TextFormat } from '../readers/index.js';
import { notText, sniffHead } from '../readers/split-file-detection.js';
import type { Probe } from './probe.js';
import { fetchPlanned, type UrlRange } from './range-text.js';

const HEAD = 64 * 1024;
const NL = 10;

export async function portablePlan(
  url: string,
  format: TextFormat,
  csvOptions: CsvOptions | undefined,
  probe: Probe,
  ctx: SplitContext,
): Promise<SourcePlan<TextChunk>> {
  if (!probe.ranges || probe.size === undefined) {
    throw refused(
      url,
      'its server does not answer byte ranges (a request for one byte got the whole file)',
      'serve it from a server that answers Range requests',
    );
  }
  const remote = { size: probe.size, ...(probe.etag ? { etag: probe.etag } : {}) };
  const inputs = [{ path: url, bytes: remote.size, format }];
  const at = { file: url, remote };
  let head = await fetchPlanned(at, 0, Math.min(remote.size, HEAD));
  if (head[0] === 0x1f && head[1] === 0x8b) {
    throw refused(url, 'it is gzip-compressed, and a gzip stream cannot be cut into byte ranges that machines read apart', 'serve it decompressed');
  }
  const found = sniffHead(head, remote.size, undefined, url);
  if (found) throw notText(found, url, format);
  let from = 0;
  let csv: CsvSettings | undefined;
  if (format === 'csv' || format === 'tsv') {
    const delimiter = csvOptions?.delimiter ?? (format === 'tsv' ? '\t' : ',');
    let header: string[] | null = null;
    if (csvOptions?.header ?? true) {
      // The header's line, however long: fetched on until its newline.
      for (let nl = head.indexOf(NL); ; nl = head.indexOf(NL)) {
        if (nl >= 0 || head.length >= remote.size) {
          from = nl >= 0 ? nl + 1 : remote.size;
          header = headerNames(head.subarray(0, nl >= 0 ? nl : head.length), delimiter, url);
          break;
        }
        head = Buffer.concat([head, await fetchPlanned(at, head.length, Math.min(remote.size, head.length * 2))]);
      }
    }
    csv = { header, delimiter, infer: csvOptions?.infer ?? true };
  }
  const { chunking, workers, hints } = ctx;
  const step =
    chunking.bytes === undefined && chunking.records !== undefined
      ? Math.max(1, Math.round(chunking.records * meanLine(head.subarray(Math.min(from, head.length)))))
      : chunkBytes({ ...(chunking.bytes !== undefined ? { bytes: chunking.bytes } : {}) }, workers, remote.size, undefined, 0, hints.reduced === true);
  // Rows without a header are arrays, and `lines` are strings: nothing to project.
  const fields = hints.fields && (format === 'ndjson' || (csv && csv.header !== null)) ? hints.fields : undefined;
  const chunks: Array<{ data: UrlRange; bytes: number }> = [];
  for (let start = from; start < remote.size; start += step) {
    const end = Math.min(remote.size, start + step);
    const data: UrlRange = { format, file: url, name: url, start, end, remote };
    if (csv) data.csv = csv;
    if (fields) data.fields = fields;
    if (hints.rejects) data.rejects = true;
    chunks.push({ data, bytes: end - start });
  }
  return { chunks, total: { bytes: remote.size, chunks: chunks.length }, inputs };
}

function meanLine(sample: Buffer): number {
  let lines = 0;
  for (let i = sample.indexOf(NL); i >= 0; i = sample.indexOf(NL, i + 1)) lines++;
  return sample.length / Math.max(1, lines);
}

function refused(url: string, why: string, fix: string): FlowError {
  return new FlowError({
    code: 'QUEUE_STREAM_SOURCE',
    message: `${url} cannot be read through the queue: ${why}`,
    path: 'path',
    hint: `every machine fetches its own byte ranges of a URL: ${fix}, put it on storage every machine sees, or run without --queue`,
  });
}
