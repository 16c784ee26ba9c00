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

  it('addUniform adds multiples of 2^-53 in (-1, 1) exactly and stops at anything else', () => {
    const stops = [1, -1, 2 ** -60, 0.25 + 2 ** -54, NaN, Infinity, -Infinity, 3, 2 ** 53];
    const uniform = [0, -0, 0.5, -0.25, 1 - 2 ** -53, -(1 - 2 ** -53), 2 ** -53, -(2 ** -53)];
    k.takeSum(); // a fresh sum
    k.block.set([...uniform, ...stops]);
    const n = uniform.length + stops.length;
    let at = k.addUniform(0, n);
    const stopped: number[] = [];
    while (at < n) {
      stopped.push(k.block[at]!);
      at = k.addUniform(at + 1, n);
    }
    expect(stopped).toEqual(stops);
    k.takeSum();
    // 0.5 - 0.25 = 0.25 = 2^51 / 2^53: the rest cancels out.
    expect([...k.block.subarray(0, 4)]).toEqual([0, 2 ** 19, 0, 1]);
    k.takeSum();
    expect([...k.block.subarray(0, 4)]).toEqual([0, 0, 0, 0]); // takeSum restarted the sum
  });

  it("addUniform carries into the high word and takes negative sums (128-bit two's complement)", () => {
    const big = 1 - 2 ** -53; // numerator 2^53 - 1
    for (const sign of [1, -1]) {
      k.takeSum();
      k.block.fill(sign * big);
      const rounds = 300; // 300 * 8192 * (2^53 - 1): past 2^64
      for (let r = 0; r < rounds; r++) expect(k.addUniform(0, BLOCK)).toBe(BLOCK);
      k.takeSum();
      const [hi, lo1, lo0, nonZero] = k.block;
      const total = (BigInt(hi!) << 64n) + (BigInt(lo1!) << 32n) + BigInt(lo0!);
      expect(total).toBe(BigInt(sign) * BigInt(rounds * BLOCK) * (2n ** 53n - 1n));
      expect(nonZero).toBe(1);
    }
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
