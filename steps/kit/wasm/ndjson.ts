// The NDJSON line scan (ndjson.wat): one instance per thread, made synchronously on first use. The
// caller lays out a block and the shape in the instance's memory (`reserve`), scans, and reads the
// tokens back. Without WebAssembly, or with FLOW_NO_WASM=1, there is none: the chunk is then read
// record by record.
import { NDJSON_WASM_BASE64 } from './ndjson-bytes.js';
import { grownMemory, perThread, wasmExports } from './kernels.js';

/** A token's flags, as the scan writes them. */
export const STRING = 1;
export const NUMBER = 2;
export const WORD = 4; // true, false or null
export const ESCAPED = 8; // a string with a backslash escape
export const HIGH = 16; // a string with a byte past 0x7f
export const FRACTION = 32; // a number with a fraction or an exponent

export interface NdjsonKernel {
  /** The memory, grown to at least `bytes`: views made before a call are stale after it. */
  reserve(bytes: number): ArrayBuffer;
  /** ndjson.wat's scan: offsets are bytes of the memory. Returns the rows, or -1. */
  scan(input: number, length: number, literals: number, ends: number, columns: number, keys: number, out: number, width: number, maxRows: number): number;
  /** The last scan met a string with a byte past 0x7f. */
  high(): boolean;
}

/** This thread's scan, or null when WebAssembly is unavailable or turned off. */
export const ndjsonKernel: () => NdjsonKernel | null = perThread(instantiate);

function instantiate(): NdjsonKernel | null {
  const exports = wasmExports(NDJSON_WASM_BASE64);
  if (!exports) return null;
  const e = exports as unknown as Pick<NdjsonKernel, 'scan'> & { memory: { buffer: ArrayBuffer; grow(pages: number): number }; high: { value: number } };
  return {
    scan: e.scan,
    high: () => e.high.value !== 0,
    reserve: (bytes) => grownMemory(e.memory, bytes),
  };
}
