import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { randomAt, stateBefore } from '../../../../steps/source-random/random.js';
import { BLOCK, kernels } from '../../../../steps/kit/wasm/kernels.js';
// @ts-expect-error: a plain .mjs script without types
import { assemble, bytesModule, BYTES_PATH, WAT_PATH } from '../../../../scripts/gen-wasm.mjs';

const k = kernels()!;

describe('the WebAssembly kernels', () => {
  it('kernels-bytes.ts is kernels.wat assembled by wabt (run npm run gen:wasm after editing the .wat)', async () => {
    const bytes = (await assemble(readFileSync(WAT_PATH, 'utf8'))) as Uint8Array;
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(readFileSync(BYTES_PATH, 'utf8')).toBe(bytesModule(bytes));
  });

  it('are available, once per thread', () => {
    expect(k).not.toBeNull();
    expect(kernels()).toBe(k);
    expect(k.block.length).toBe(BLOCK);
  });

  it('fill continues the sequence from the state set by seek, a block at a time', () => {
    k.seek(stateBefore(5, 100));
    k.fill(3);
    const first = [...k.block.subarray(0, 3)];
    k.fill(BLOCK);
    expect(first).toEqual([100, 101, 102].map((i) => randomAt(5, i)));
    expect([0, 1, BLOCK - 1].map((i) => k.block[i])).toEqual([103, 104, 102 + BLOCK].map((i) => randomAt(5, i)));
    k.block[0] = 7;
    k.fill(0); // writes nothing
    expect(k.block[0]).toBe(7);
  });
});
