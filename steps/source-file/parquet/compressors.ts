// Decompressors for Parquet pages, the codecs of hyparquet-compressors taken one by one: its index
// builds every table at import (brotli's dictionary, gzip's Huffman tables, snappy's WebAssembly),
// 20 ms in each worker that reads Parquet; zstd (fzstd) and lz4 load in 4 ms, snappy's WebAssembly is
// instantiated on the first snappy page, and gzip and brotli are Node's zlib (native).
import zlib from 'node:zlib';
import { decompress as zstd } from 'fzstd';
import type { Compressors } from 'hyparquet';
import { decompressLz4, decompressLz4Raw } from 'hyparquet-compressors/src/lz4.js';
import { snappyUncompressor } from 'hysnappy';

let snappy: ((input: Uint8Array, length: number) => Uint8Array) | undefined;

export const compressors: Compressors = {
  SNAPPY: (input, length) => (snappy ??= snappyUncompressor())(input, length),
  ZSTD: (input) => zstd(input),
  GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};
