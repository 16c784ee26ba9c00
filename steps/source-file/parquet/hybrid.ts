// Parquet's RLE/bit-packed hybrid, for the two uses that dominate reading flat columns, decoded here
// rather than by hyparquet into arrays of numbers one bit-shift at a time: the definition levels of
// a version 1 data page (into bytes; a long run without nulls costs its header alone) and the
// dictionary indices of a page's values (into a Uint32Array). On the flights group-by the two took
// 15% and 14% of the time through hyparquet. Bit-packed indices are unpacked in WebAssembly where it
// runs (kit/wasm/columns.ts), else in JS.
import { carveBytes, columnKernels } from '../../kit/wasm/columns.js';

export interface Levels {
  /** Each row's level, or undefined when every row has a value (no null in the page). */
  levels: Uint8Array | undefined;
  /** The rows with a value: the count of values that follow the levels. */
  present: number;
  /** The page offset where the values start. */
  end: number;
}

/** The levels of `count` rows at the start of a v1 page: a 4-byte length, then the RLE/bit-packed hybrid. */
export function readLevelsV1(view: DataView, count: number, max: number): Levels {
  const end = 4 + view.getUint32(0, true);
  const width = 32 - Math.clz32(max);
  const mask = (1 << width) - 1;
  let offset = 4;
  let levels: Uint8Array | undefined;
  let seen = 0;
  let present = 0;
  while (seen < count) {
    let header = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = view.getUint8(offset++);
      header |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (header & 1) {
      // Bit-packed: groups of 8 values, `width` bytes per group.
      const start = offset;
      const n = Math.min((header >>> 1) * 8, count - seen);
      levels ??= new Uint8Array(count).fill(max, 0, seen);
      let acc = 0;
      let bits = 0;
      for (let i = 0; i < n; i++) {
        while (bits < width) {
          acc |= view.getUint8(offset++) << bits;
          bits += 8;
        }
        const level = acc & mask;
        acc >>>= width;
        bits -= width;
        levels[seen + i] = level;
        if (level === max) present++;
      }
      offset = start + (header >>> 1) * width;
      seen += n;
    } else {
      // A run of one value, in (width + 7) / 8 bytes.
      const n = Math.min(header >>> 1, count - seen);
      let value = 0;
      for (let b = 0; b < (width + 7) >> 3; b++) value |= view.getUint8(offset++) << (8 * b);
      if (value === max) present += n;
      if (value !== max) levels ??= new Uint8Array(count).fill(max, 0, seen);
      levels?.fill(value, seen, seen + n);
      seen += n;
    }
  }
  return { levels: present === count ? undefined : levels, present, end };
}

/** A varint at `at.offset`, moving past it. */
function varint(view: DataView, at: { offset: number }): number {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = view.getUint8(at.offset++);
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return value >>> 0;
}

/**
 * `count` dictionary indices from `offset` (a bit-width byte, then the hybrid without a length),
 * the encoding of an RLE_DICTIONARY or PLAIN_DICTIONARY page's values; into `out` when given (a
 * page's indices are a large array: a worker reuses one).
 */
export function readIndices(view: DataView, offset: number, count: number, out: Uint32Array = new Uint32Array(count)): Uint32Array {
  const width = view.getUint8(offset);
  if (width === 0) return out.fill(0, 0, count);
  if (width > 32) throw new Error(`a dictionary index width of ${width} bits`);
  const at = { offset: offset + 1 };
  const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
  const wasm = width !== 8 ? inWasm(view, offset + 1, count) : undefined;
  let seen = 0;
  while (seen < count) {
    const header = varint(view, at);
    if (header & 1) {
      const start = at.offset;
      const n = Math.min((header >>> 1) * 8, count - seen);
      if (width === 8) out.set(new Uint8Array(view.buffer, view.byteOffset + start, n), seen);
      else if (wasm) wasm.unpack(start, width, out, seen, n);
      else if (width <= 24) unpack(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), start, width, mask, out, seen, n);
      else unpackWide(view, start, width, out, seen, n);
      at.offset = start + (header >>> 1) * width;
      seen += n;
    } else {
      const n = Math.min(header >>> 1, count - seen);
      let value = 0;
      for (let b = 0; b < (width + 7) >> 3; b++) value += view.getUint8(at.offset++) * 2 ** (8 * b);
      out.fill(value & mask, seen, seen + n);
      seen += n;
    }
  }
  return out;
}

/**
 * The column kernels (kit/wasm/columns.wat) for one page, or undefined without them: the page's bytes
 * from `from` on copied into their memory once (and 8 zeroed after them: the kernel reads 8 bytes at
 * a time), then each bit-packed run unpacked there and copied into `out`.
 */
function inWasm(view: DataView, from: number, count: number) {
  const k = columnKernels();
  if (!k) return undefined;
  const length = view.byteLength - from;
  const carve = k.carve(carveBytes(length + 8, count * 4));
  const src = carve.uint8(length + 8, false);
  // Only what a run writes is read back.
  const dst = carve.uint32(count, false);
  src.set(new Uint8Array(view.buffer, view.byteOffset + from, length));
  src.fill(0, length);
  return {
    unpack(p: number, width: number, out: Uint32Array, seen: number, n: number): void {
      k.unpack(src.byteOffset + p - from, width, n, dst.byteOffset + seen * 4);
      out.set(dst.subarray(seen, seen + n), seen);
    },
  };
}

/** n values of up to 24 bits: with 7 bits left over they fit a 32-bit int. */
function unpack(bytes: Uint8Array, p: number, width: number, mask: number, out: Uint32Array, seen: number, n: number): void {
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    while (bits < width) {
      acc |= bytes[p++]! << bits;
      bits += 8;
    }
    out[seen + i] = acc & mask;
    acc >>>= width;
    bits -= width;
  }
}

/** n values of 25 to 32 bits, in a double (exact up to 2^53). */
function unpackWide(view: DataView, p: number, width: number, out: Uint32Array, seen: number, n: number): void {
  const unit = 2 ** width;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    while (bits < width) {
      acc += view.getUint8(p++) * 2 ** bits;
      bits += 8;
    }
    out[seen + i] = acc % unit;
    acc = Math.floor(acc / unit);
    bits -= width;
  }
}
