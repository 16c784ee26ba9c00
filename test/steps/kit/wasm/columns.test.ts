// The column kernels (columns.wat): assembled from the .wat as committed, the unpacking of every bit
// width against a bit-by-bit reference, and memory carved into zeroed arrays. Their row loops are
// tested against group's add in test/steps/kit/numbers/group-columns.test.ts.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carveBytes, columnKernels } from '../../../../steps/kit/wasm/columns.js';
// @ts-expect-error: a plain .mjs script without types
import { assemble, bytesModule, MODULES } from '../../../../scripts/gen-wasm.mjs';

const k = columnKernels()!;

/** Value i of `width` bits, the lowest bit first (Parquet's bit-packing). */
function reference(bytes: Uint8Array, width: number, i: number): number {
  let v = 0;
  for (let b = 0; b < width; b++) {
    const bit = i * width + b;
    if (bytes[bit >> 3]! & (1 << (bit & 7))) v += 2 ** b;
  }
  return v;
}

describe('the column kernels', () => {
  it('columns-bytes.ts is columns.wat assembled by wabt (run npm run gen:wasm after editing the .wat)', async () => {
    const module = (MODULES as Array<{ wat: string; bytes: string }>).find((m) => m.wat.endsWith('columns.wat'))!;
    const bytes = (await assemble(readFileSync(module.wat, 'utf8'))) as Uint8Array;
    expect(readFileSync(module.bytes, 'utf8')).toBe(bytesModule(bytes, module));
  });

  it('are available, once per thread', () => {
    expect(k).not.toBeNull();
    expect(columnKernels()).toBe(k);
  });

  it('unpack gives every value of every width from 1 to 32 bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 200 }), fc.uint8Array({ minLength: 800, maxLength: 800 }), (width, n, packed) => {
        const length = Math.ceil((n * width) / 8);
        const carve = k.carve(carveBytes(length + 8, n * 4));
        const src = carve.uint8(length + 8);
        const dst = carve.uint32(n);
        src.set(packed.subarray(0, length));
        k.unpack(src.byteOffset, width, n, dst.byteOffset);
        expect([...dst]).toEqual(Array.from({ length: n }, (_, i) => reference(packed, width, i)));
      }),
    );
  });

  it('carves zeroed arrays, 8-aligned, from memory grown to fit, and refuses to carve past what was asked', () => {
    const first = k.carve(carveBytes(3, 4 * 5));
    first.uint8(3).fill(7);
    first.int32(5).fill(-1);
    const big = 5 << 20;
    const again = k.carve(carveBytes(3, 4 * 5, big));
    const bytes = again.uint8(3);
    const ints = again.int32(5);
    expect([...bytes, ...ints]).toEqual(Array(8).fill(0));
    expect(ints.byteOffset).toBe(8);
    expect(again.float64(big / 8).length).toBe(big / 8);
    expect(() => again.uint8(1)).toThrow('columns: carved past the');
  });
});
