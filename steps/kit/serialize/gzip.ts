// gzip outputs (`out/x.ndjson.gz`): text in, compressed bytes out to the destination a piece at a
// time, with backpressure both ways, so memory stays bounded by a piece whatever the output size.
import { once } from 'node:events';
import { zlib } from '../zlib.js';

/** Whether a path names a gzip file: its last extension is .gz. */
export function isGzipPath(file: string): boolean {
  return /\.gz$/i.test(file);
}

export interface GzipWriter {
  write(text: string): Promise<void>;
  /** The last bytes (the gzip trailer) written, once all before them are. */
  end(): Promise<void>;
  /** Stops at once; what was written is dropped by the caller. */
  destroy(): void;
}

export function gzipWriter(write: (bytes: Buffer) => Promise<void>): GzipWriter {
  const gz = zlib().createGzip();
  const sink = (async () => {
    for await (const bytes of gz as AsyncIterable<Buffer>) await write(bytes);
  })();
  // Seen by write or end, whichever comes next; never unhandled meanwhile.
  sink.catch(() => {});
  return {
    async write(text) {
      if (!gz.write(text)) await Promise.race([once(gz, 'drain'), sink]);
    },
    async end() {
      gz.end();
      await sink;
    },
    destroy() {
      gz.destroy();
    },
  };
}
