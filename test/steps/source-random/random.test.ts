import { describe, expect, it } from 'vitest';
import { fill, fillScalar, randomAt } from '../../../steps/source-random/random.js';
import { BLOCK } from '../../../steps/kit/wasm/kernels.js';

const reference = (seed: number, first: number, n: number) => Array.from({ length: n }, (_, i) => randomAt(seed, first + i));

// Seeds and first indices at the edges: zero, negative, the largest safe integers, past 2^32 and 2^53 - n.
const edges = [
  [0, 0],
  [1, 0],
  [-1, 0],
  [42, 1000],
  [-7, 2 ** 40 + 5],
  [2 ** 31, 2 ** 32 - 3],
  [-(2 ** 32), 2 ** 32],
  [Number.MAX_SAFE_INTEGER, 2 ** 53 - 20],
  [-Number.MAX_SAFE_INTEGER, 2 ** 52 + 1],
  [123_456_789, 999_999],
] as const;

describe('the counter-based generator', () => {
  it('fill (WebAssembly) and fillScalar (JS) equal the BigInt reference, edge seeds and indices included', () => {
    for (const [seed, first] of edges) {
      const expected = reference(seed, first, 16);
      expect([...fill(new Float64Array(16), seed, first)]).toEqual(expected);
      expect([...fillScalar(new Float64Array(16), seed, first)]).toEqual(expected);
    }
  });

  it('equals the reference for many random seeds and indices', () => {
    let state = 1;
    const next = () => (state = (Math.imul(state, 48271) >>> 0) % 2147483647); // a small LCG: fixed cases
    for (let c = 0; c < 200; c++) {
      const seed = ((next() * 2 ** 22 + next()) % Number.MAX_SAFE_INTEGER) * (next() % 2 ? 1 : -1);
      const first = (next() * 2 ** 21 + next()) % (2 ** 53 - 8);
      expect([...fill(new Float64Array(3), seed, first)]).toEqual(reference(seed, first, 3));
    }
  });

  it('the wasm blocks join up: any length, and any split of a range into chunks, give the one sequence', () => {
    const n = 3 * BLOCK + 5;
    const whole = fill(new Float64Array(n), -3, 2 ** 45);
    expect([...whole]).toEqual([...fillScalar(new Float64Array(n), -3, 2 ** 45)]);
    for (const i of [0, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, n - 1]) expect(whole[i]).toBe(randomAt(-3, 2 ** 45 + i));
    for (const size of [1, 7, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 3]) {
      const joined = new Float64Array(n);
      for (let at = 0; at < n; at += size) fill(joined.subarray(at, Math.min(n, at + size)), -3, 2 ** 45 + at);
      expect(joined).toEqual(whole);
    }
    expect(fill(new Float64Array(0), 1, 5)).toEqual(new Float64Array(0));
  });

  it('is uniform on [0, 1) with mean 1/2, variance 1/12, no lag-1 correlation', () => {
    const n = 1_000_000;
    const x = fill(new Float64Array(n), 3, 0);
    let sum = 0;
    let sq = 0;
    let lag = 0;
    let outside = 0;
    const bins = new Array<number>(100).fill(0);
    for (let i = 0; i < n; i++) {
      if (!(x[i]! >= 0 && x[i]! < 1)) outside++;
      sum += x[i]!;
      sq += x[i]! * x[i]!;
      if (i > 0) lag += (x[i]! - 0.5) * (x[i - 1]! - 0.5);
      bins[Math.floor(x[i]! * 100)]!++;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    // Bounds are about five standard errors.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0015);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.0015);
    expect(Math.abs(lag / (n - 1) / (1 / 12))).toBeLessThan(0.005);
    const e = n / 100;
    const chi2 = bins.reduce((acc, b) => acc + (b - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(160); // 99 degrees of freedom: p < 1e-4 beyond
  });

  it('different seeds give unrelated sequences', () => {
    const a = fill(new Float64Array(100_000), 1, 0);
    const b = fill(new Float64Array(100_000), 2, 0);
    let same = 0;
    let cov = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) same++;
      cov += (a[i]! - 0.5) * (b[i]! - 0.5);
    }
    expect(same).toBe(0);
    expect(Math.abs(cov / a.length / (1 / 12))).toBeLessThan(0.02);
    expect(new Set(a).size).toBe(a.length);
  });
});
