import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
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

describe('FLOW_NO_WASM=1', () => {
  it('turns the kernel off, read when the module loads, and the random numbers stay the same', async () => {
    const seeds = [
      [42, 0, 3 * BLOCK + 5],
      [-3, 2 ** 45, 1000],
      [Number.MAX_SAFE_INTEGER, 2 ** 53 - 20, 20],
    ] as const;
    const numbers = async () => {
      vi.resetModules(); // fresh modules: kernels.ts reads the variable again
      const fresh = await import('../../../../steps/source-random/random.js');
      const { kernels: freshKernels } = await import('../../../../steps/kit/wasm/kernels.js');
      return { on: freshKernels() !== null, values: seeds.map(([seed, first, n]) => [...fresh.fill(new Float64Array(n), seed, first)]) };
    };
    try {
      vi.stubEnv('FLOW_NO_WASM', '1');
      const off = await numbers();
      vi.stubEnv('FLOW_NO_WASM', '0');
      const on = await numbers();
      expect([off.on, on.on]).toEqual([false, true]);
      expect(off.values).toEqual(on.values);
      expect(off.values[0]!.slice(0, 3)).toEqual([0, 1, 2].map((i) => randomAt(42, i)));
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
