// The column kernels (columns.wat): one instance per thread, made synchronously on first use. Their
// arrays are carved from the instance's memory; without WebAssembly, or with FLOW_NO_WASM=1 (the
// wasm fast path's off-switch), there are none and callers run the same loops in JS.
import { COLUMNS_WASM_BASE64 } from './columns-bytes.js';
import { grownMemory, perThread, wasmExports } from './kernels.js';

export interface ColumnKernels {
  /** Zeroed arrays from the start of the memory, grown to hold `bytes` of them (see carveBytes): valid until the next carve. */
  carve(bytes: number): Carver;
  /** columns.wat's loops; addresses are byte offsets of carved arrays (their byteOffset). */
  unpack(src: number, width: number, n: number, dst: number): void;
  entrySlots(keys: number, entries: number, table: number, slotOf: number, counts: number, i: number, rows: number): number;
  smallSums(vals: number, entries: number, how: number, small: number, slotOf: number, sums: number, counts: number, i: number, rows: number): number;
}

/** Arrays zeroed, unless `zero` is false (the caller writes every element before reading it). */
export interface Carver {
  int32(n: number, zero?: boolean): Int32Array;
  uint32(n: number, zero?: boolean): Uint32Array;
  float64(n: number, zero?: boolean): Float64Array;
  uint8(n: number, zero?: boolean): Uint8Array;
}

/** The bytes to carve arrays of these byte lengths (each starts 8-aligned). */
export function carveBytes(...lengths: number[]): number {
  return lengths.reduce((sum, n) => sum + align(n), 0);
}

const align = (n: number) => (n + 7) & ~7;

/** This thread's column kernels, or null when WebAssembly is unavailable or turned off. */
export const columnKernels: () => ColumnKernels | null = perThread(instantiate);

function instantiate(): ColumnKernels | null {
  const exports = wasmExports(COLUMNS_WASM_BASE64);
  if (!exports) return null;
  const e = exports as unknown as Omit<ColumnKernels, 'carve'> & { memory: { buffer: ArrayBuffer; grow(pages: number): number } };
  return {
    unpack: e.unpack,
    entrySlots: e.entrySlots,
    smallSums: e.smallSums,
    carve(bytes) {
      const buffer = grownMemory(e.memory, bytes);
      let at = 0;
      const take = <T extends { fill(v: number): T }>(n: number, size: number, zero: boolean, make: (buffer: ArrayBuffer, at: number, n: number) => T): T => {
        if (at + align(n * size) > bytes) throw new Error(`columns: carved past the ${bytes} bytes asked for`);
        const view = make(buffer, at, n);
        at += align(n * size);
        return zero ? view.fill(0) : view;
      };
      return {
        int32: (n, zero = true) => take(n, 4, zero, (b, o, k) => new Int32Array(b, o, k)),
        uint32: (n, zero = true) => take(n, 4, zero, (b, o, k) => new Uint32Array(b, o, k)),
        float64: (n, zero = true) => take(n, 8, zero, (b, o, k) => new Float64Array(b, o, k)),
        uint8: (n, zero = true) => take(n, 1, zero, (b, o, k) => new Uint8Array(b, o, k)),
      };
    },
  };
}
