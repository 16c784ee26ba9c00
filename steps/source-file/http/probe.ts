// Main thread, at split: what a URL offers, learned from a ranged GET of its first byte. A 206 with
// the total size in Content-Range means byte ranges work (Accept-Ranges says the same, less surely);
// a 200 means the server sends the whole body (no ranges); a 404 or 403 is an error here, at planning.
import { request } from './fetch.js';

export interface Probe {
  /** The URL's size in bytes, when the server said it. */
  size?: number;
  /** The server answers byte ranges: the file can be fetched in parallel pieces. */
  ranges: boolean;
  /** The version the server named (ETag), so a piece of another version is refused. */
  etag?: string;
}

export function probeUrl(url: string, signal?: AbortSignal): Promise<Probe> {
  return request(url, { headers: { range: 'bytes=0-0' }, ...(signal ? { signal } : {}) }, async (response) => {
    // Only the headers are wanted: the body is dropped (a 200's whole file is fetched again as a stream).
    await response.body?.cancel().catch(() => {});
    const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
    if (response.status === 206 && !encoded) {
      const total = /^bytes \d+-\d+\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
      const etag = response.headers.get('etag') ?? undefined;
      if (total !== undefined) return { size: Number(total), ranges: true, ...(etag ? { etag } : {}) };
    }
    const length = response.status === 200 && !encoded ? Number(response.headers.get('content-length') ?? NaN) : NaN;
    return Number.isSafeInteger(length) ? { size: length, ranges: false } : { ranges: false };
  });
}
