import { describe, expect, it } from 'vitest';
import { fill, randomAt } from '../../../engine/readers/random.js';

describe('the counter-based generator', () => {
  it('its 32-bit arithmetic equals the BigInt reference', () => {
    for (const [seed, first] of [[0, 0], [42, 1000], [-7, 2 ** 40 + 5], [Number.MAX_SAFE_INTEGER, 2 ** 53 - 20]] as const) {
      const got = fill(new Float64Array(16), seed, first);
      expect([...got]).toEqual(Array.from({ length: 16 }, (_, i) => randomAt(seed, first + i)));
    }
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
