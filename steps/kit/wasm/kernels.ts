// The WebAssembly kernels (kernels.wat): the random generator's fill and the exact sum of uniform
// floats; one small instance per thread, made synchronously on first use. Numbers go in and out
// through a block of the instance's memory, so the arrays that flow hands on stay ordinary
// (transferable) ones. Without WebAssembly (node --jitless), or with FLOW_NO_WASM=1 (the fast path's
// off-switch), callers use their JS path.
import { fastPathOn } from '../../../engine/contract/fast-paths.js';
import { KERNELS_WASM_BASE64 } from './kernels-bytes.js';

/** Doubles in the memory block: one 64 KiB page. */
export const BLOCK = 8192;

export interface Kernels {
  /** The memory block. */
  block: Float64Array;
  /** Sets the generator state (a 64-bit value; the next number is that of state + gamma). */
  seek(state: bigint): void;
  /** Writes the next n <= BLOCK numbers of the generator into block[0..n). */
  fill(n: number): void;
  /** Adds block[i..n) exactly while they are multiples of 2^-53 in (-1, 1); returns where it stopped. */
  addUniform(i: number, n: number): number;
  /** Writes the sum so far as exact doubles into block[0..4) (see kernels.wat) and restarts it. */
  takeSum(): void;
}

// The part of the WebAssembly API used here (the ES2023 lib declares none of it).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

// FLOW_NO_WASM, read once, when this module loads (worker threads inherit the variable).
const off = !fastPathOn('wasm');

/** A thread's instance of a module, made on first use; null when WebAssembly is unavailable or turned off. */
export function perThread<T>(instantiate: () => T | null): () => T | null {
  let cached: T | null | undefined;
  return () => {
    if (cached === undefined) cached = off ? null : instantiate();
    return cached;
  };
}

/** A module's memory, grown to at least `bytes`; after a grow, views of the old buffer are detached. */
export function grownMemory(memory: { buffer: ArrayBuffer; grow(pages: number): number }, bytes: number): ArrayBuffer {
  const short = bytes - memory.buffer.byteLength;
  if (short > 0) memory.grow(Math.ceil(short / 65536));
  return memory.buffer;
}

/** This thread's kernels, or null when WebAssembly is unavailable or turned off. */
export const kernels: () => Kernels | null = perThread(instantiate);

/** An instance of a module given as base64, synchronously; null without WebAssembly (node --jitless). */
export function wasmExports(base64: string): Record<string, unknown> | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  return new wasm.Instance(new wasm.Module(Buffer.from(base64, 'base64'))).exports;
}

function instantiate(): Kernels | null {
  const exports = wasmExports(KERNELS_WASM_BASE64);
  if (!exports) return null;
  const e = exports as unknown as Omit<Kernels, 'block'> & { memory: { buffer: ArrayBuffer } };
  // The memory never grows, so this view stays valid.
  return { block: new Float64Array(e.memory.buffer, 0, BLOCK), seek: e.seek, fill: e.fill, addUniform: e.addUniform, takeSum: e.takeSum };
}
