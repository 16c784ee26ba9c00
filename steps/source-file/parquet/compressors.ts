// Decompressors for Parquet pages, the codecs of hyparquet-compressors taken one by one: its index
// builds every table at import (brotli's dictionary, gzip's Huffman tables, snappy's WebAssembly),
// 20 ms in each worker that reads Parquet; lz4 loads in 1 ms, snappy's WebAssembly is instantiated on
// the first snappy page, zstd is zstddec's WebAssembly (fzstd until then), gzip and brotli are Node's
// zlib (native).
import zlib from 'node:zlib';
import { decompress as zstd } from 'fzstd';
import type { Compressors } from 'hyparquet';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';
import { snappyUncompressor } from 'hysnappy';
import { ZSTDDecoder } from 'zstddec';

let snappy: ((input: Uint8Array, length: number) => Uint8Array) | undefined;
let zstdWasm: ZSTDDecoder | undefined;

/**
 * Instantiates zstddec's WebAssembly zstd decoder (asynchronous: from the source's setup), 4.7 times
 * as fast as fzstd on the flights file's pages (33 vs 157 ms). If it cannot be, fzstd decodes.
 */
export async function prepareCodecs(): Promise<void> {
  if (zstdWasm) return;
  const decoder = new ZSTDDecoder();
  try {
    // zstddec fetches its own bytes from a data: URL when fetch exists (loading undici: 23 ms in each
    // worker), from a Buffer otherwise (1 ms); init() makes that choice before it returns.
    const fetch = globalThis.fetch;
    let ready: Promise<void>;
    try {
      (globalThis as { fetch?: unknown }).fetch = undefined;
      ready = decoder.init();
    } finally {
      globalThis.fetch = fetch;
    }
    await ready;
    zstdWasm = decoder;
  } catch {
    // fzstd it is.
  }
}

export const compressors: Compressors = {
  SNAPPY: (input, length) => (snappy ??= snappyUncompressor())(input, length),
  ZSTD: (input, length) => (zstdWasm ? zstdWasm.decode(input, length) : zstd(input)),
  GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};
