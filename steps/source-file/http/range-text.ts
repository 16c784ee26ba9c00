// A URL's byte range as a descriptor another machine reads (http/portable.ts cuts them): fetched by
// the worker that runs it, aligned to lines exactly as a file's byte range is (readers/byte-range.ts:
// a range owns the lines that start in it, so a little past `end` is fetched until that line ends),
// and refused when the server's file is no longer the one the coordinator planned with.
import { isAscii } from 'node:buffer';
import { FlowError } from '../../../engine/contract/errors.js';
import type { TextChunk } from '../readers/index.js';
import { request, Retryable } from './fetch.js';
import type { Version } from './ranges.js';

const NL = 10;
/** Bytes fetched past `end` at first, doubled while the line that crosses `end` goes on. */
export const past = { bytes: 64 * 1024 };

/** A chunk of a URL: its byte range [start, end) and the version the coordinator saw. */
export interface UrlRange extends TextChunk {
  remote: Version;
}

/** A descriptor still to fetch (after `prepare` it carries its text). */
export function isUrlRange(data: unknown): data is UrlRange {
  const range = data as Partial<UrlRange> | null;
  return typeof range?.remote === 'object' && range.text === undefined;
}

/** The range as `read` takes it: the text of the lines it owns; their line numbers are not known here. */
export async function fetchedRange(range: UrlRange): Promise<TextChunk> {
  const { bytes } = await ownedBytes(range);
  const { remote: _, ...rest } = range;
  return { ...rest, start: 0, end: bytes.length, text: bytes.toString('latin1'), ...(isAscii(bytes) ? { ascii: true } : {}) };
}

/** The bytes of the lines that start in [start, end), and the offset of the first in the file. */
export async function ownedBytes(range: UrlRange): Promise<{ bytes: Buffer; from: number }> {
  const { size } = range.remote;
  const { start, end } = range;
  // From start - 1: a line starts at `start` when the byte before it is a '\n'.
  const lo = start > 0 ? start - 1 : 0;
  let hi = Math.min(size, end + past.bytes);
  let got = await fetchPlanned(range, lo, hi);
  let nl = end >= size ? -1 : got.indexOf(NL, end - 1 - lo);
  for (let more = past.bytes * 2; nl < 0 && hi < size && end < size; more *= 2) {
    const next = Math.min(size, hi + more);
    got = Buffer.concat([got, await fetchPlanned(range, hi, next)]);
    nl = got.indexOf(NL, end - 1 - lo);
    hi = next;
  }
  const to = end >= size || nl < 0 ? size : lo + nl + 1;
  const first = got.indexOf(NL);
  let from = start <= 0 ? 0 : start >= size || first < 0 ? size : lo + first + 1;
  // A UTF-8 byte-order mark at the start of the file is dropped, as for a file.
  if (from === 0 && to >= 3 && got[0] === 0xef && got[1] === 0xbb && got[2] === 0xbf) from = 3;
  return { bytes: got.subarray(from - lo, to - lo), from };
}

/** Bytes [from, to) of the planned version of the URL: a 206 of that length, else tried again or refused. */
export function fetchPlanned(range: Pick<UrlRange, 'file' | 'remote'>, from: number, to: number): Promise<Buffer> {
  const url = range.file;
  if (to <= from) return Promise.resolve(Buffer.alloc(0));
  return request(url, { headers: { range: `bytes=${from}-${to - 1}` } }, async (response) => {
    const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    const etag = response.headers.get('etag') ?? undefined;
    // 416: the range is past the end of what the server has now, a shorter file.
    if (response.status === 416 || (total !== undefined && Number(total) !== range.remote.size) || differ(range.remote.etag, etag)) {
      await response.body?.cancel().catch(() => {});
      throw changed(url, range.remote, { ...(total !== undefined ? { size: Number(total) } : {}), ...(etag ? { etag } : {}) });
    }
    if (response.status !== 206) {
      await response.body?.cancel().catch(() => {});
      throw new Retryable(`HTTP ${response.status} to a request for bytes ${from}-${to - 1} (a range was expected: 206)`);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length !== to - from) throw new Retryable(`bytes ${from}-${to - 1}: the server sent ${bytes.length} of ${to - from}`);
    return bytes;
  });
}

const differ = (planned: string | undefined, found: string | undefined) => planned !== undefined && found !== undefined && planned !== found;

function changed(url: string, planned: Version, found: { size?: number; etag?: string }): FlowError {
  const said = (v: { size?: number; etag?: string }) => `${v.size ?? 'an unknown number of'} bytes${v.etag ? `, ETag ${v.etag}` : ''}`;
  return new FlowError({
    code: 'INPUT_CHANGED',
    message: `${url} changed on the server after the run was planned: planned ${said(planned)}; found ${said(found)}`,
    record: { file: url },
    hint: 'every machine must read the same file: do not change an input while a run reads it, then run again',
  });
}
