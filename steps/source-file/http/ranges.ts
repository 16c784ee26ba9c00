// Main thread: the bytes of a URL in order, fetched as byte ranges with up to `parallel` requests
// in flight. Pulled lazily (by the stream chunker, pulled by dispatch's credit window), so at most
// `parallel` pieces are held whatever the file's size; each piece is one ranged GET, retried alone.
import { FlowError } from '../../../engine/contract/errors.js';
import { request, Retryable } from './fetch.js';

/** The file as the probe saw it: each piece must come from the same size (and ETag, when named). */
export interface Version {
  size: number;
  etag?: string;
}

export async function* rangeBytes(url: string, version: Version, piece: number, parallel: number): AsyncGenerator<Buffer> {
  const size = version.size;
  const controller = new AbortController();
  const held: Array<Promise<Buffer>> = [];
  let next = 0;
  const launch = () => {
    const start = next;
    next = Math.min(size, start + piece);
    const bytes = fetchRange(url, version, start, next, controller.signal);
    // Failures surface when the piece's turn comes, never as unhandled rejections before that.
    bytes.catch(() => {});
    held.push(bytes);
  };
  try {
    while (held.length < parallel && next < size) launch();
    while (held.length > 0) {
      const bytes = await held.shift()!;
      if (next < size) launch();
      yield bytes;
    }
  } finally {
    // Stopped early (a failed run, inspect --sample): the requests under way are dropped.
    controller.abort();
  }
}

/** Bytes [start, end) of the URL: a 206 of exactly that length, else tried again. */
export function fetchRange(url: string, version: Version, start: number, end: number, signal?: AbortSignal): Promise<Buffer> {
  const init = { headers: { range: `bytes=${start}-${end - 1}` }, ...(signal ? { signal } : {}) };
  return request(url, init, async (response) => {
    if (response.status !== 206) {
      await response.body?.cancel().catch(() => {});
      throw new Retryable(`HTTP ${response.status} to a request for bytes ${start}-${end - 1} (a range was expected: 206)`);
    }
    const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    const etag = response.headers.get('etag') ?? undefined;
    if ((total !== undefined && Number(total) !== version.size) || (version.etag !== undefined && etag !== undefined && etag !== version.etag)) {
      await response.body?.cancel().catch(() => {});
      throw changed(url);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length !== end - start) throw new Retryable(`bytes ${start}-${end - 1}: the server sent ${bytes.length} of ${end - start}`);
    return bytes;
  });
}

function changed(url: string): FlowError {
  return new FlowError({
    code: 'INPUT_FAILED',
    message: `cannot read ${url}: the file changed on the server while it was read (its size or ETag differ from the first answer's)`,
    record: { file: url },
    hint: 'run again once the file stays put',
  });
}

/** The whole body of a URL as it comes (a server without ranges, or of unknown size). */
export async function* bodyBytes(url: string): AsyncGenerator<Uint8Array> {
  const controller = new AbortController();
  const body = await request(url, { signal: controller.signal }, async (response) => {
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      throw new Retryable(`HTTP ${response.status} to a plain GET (200 was expected)`);
    }
    return response.body;
  });
  try {
    if (body) yield* body as unknown as AsyncIterable<Uint8Array>;
  } finally {
    controller.abort();
  }
}
