// A counter-based generator: the i-th number of a seed is splitmix64(key + (i + 1) * gamma), so it
// depends on (seed, i) alone, never on chunking. The numbers are made in WebAssembly (native 64-bit
// arithmetic, steps/kit/wasm/kernels.wat); without it, in JS with 32-bit halves (Math.imul and exact
// 16-bit partial products): never a BigInt per number.
import { BLOCK, kernels } from '../kit/wasm/kernels.js';

const GAMMA = 0x9e3779b97f4a7c15n;
const MASK = (1n << 64n) - 1n;

/** splitmix64's finaliser (Stafford's mix 13), on BigInt: used once per chunk and as the reference. */
export function mix64Big(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/** The 64-bit state just before the number at `index` (the loop adds gamma first). */
export function stateBefore(seed: number, index: number): bigint {
  const key = mix64Big(BigInt.asUintN(64, BigInt(seed)) ^ 0x5851f42d4c957f2dn);
  return (key + BigInt(index) * GAMMA) & MASK;
}

/** Reference: the number at `index` for `seed`, with BigInt (tests compare `fill` with it). */
export function randomAt(seed: number, index: number): number {
  const z = mix64Big((stateBefore(seed, index) + GAMMA) & MASK);
  return Number(z >> 11n) / 2 ** 53;
}

// High 32 bits of the 64-bit product of two unsigned 32-bit numbers, from 16-bit pieces.
function mulhi(a: number, b0: number, b1: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

const C1H = 0xbf58476d | 0,
  C1L = 0x1ce4e5b9 | 0,
  C1L0 = 0xe5b9,
  C1L1 = 0x1ce4;
const C2H = 0x94d049bb | 0,
  C2L = 0x133111eb | 0,
  C2L0 = 0x11eb,
  C2L1 = 0x1331;
const GH = 0x9e3779b9 | 0,
  GL = 0x7f4a7c15 | 0;

/** Fills `out` with the numbers at indices first, first+1, ... of `seed`, in [0, 1). */
export function fill(out: Float64Array, seed: number, first: number): Float64Array {
  const k = kernels();
  if (!k) return fillScalar(out, seed, first);
  k.seek(stateBefore(seed, first));
  for (let at = 0; at < out.length; at += BLOCK) {
    const n = Math.min(BLOCK, out.length - at);
    k.fill(n);
    out.set(n === BLOCK ? k.block : k.block.subarray(0, n), at);
  }
  return out;
}

/** `fill` in plain JS, for when WebAssembly is unavailable. */
export function fillScalar(out: Float64Array, seed: number, first: number): Float64Array {
  const s = stateBefore(seed, first);
  let h = Number(s >> 32n) | 0;
  let l = Number(s & 0xffffffffn) | 0;
  for (let i = 0; i < out.length; i++) {
    const nl = (l + GL) | 0;
    h = (h + GH + (nl >>> 0 < l >>> 0 ? 1 : 0)) | 0;
    l = nl;
    // z ^= z >>> 30; z *= C1
    let zl = l ^ ((l >>> 30) | (h << 2));
    let zh = h ^ (h >>> 30);
    let th = (mulhi(zl, C1L0, C1L1) + Math.imul(zh, C1L) + Math.imul(zl, C1H)) | 0;
    zl = Math.imul(zl, C1L);
    zh = th;
    // z ^= z >>> 27; z *= C2
    zl ^= (zl >>> 27) | (zh << 5);
    zh ^= zh >>> 27;
    th = (mulhi(zl, C2L0, C2L1) + Math.imul(zh, C2L) + Math.imul(zl, C2H)) | 0;
    zl = Math.imul(zl, C2L);
    zh = th;
    // z ^= z >>> 31; the top 53 bits make the double
    zl ^= (zl >>> 31) | (zh << 1);
    zh ^= zh >>> 31;
    out[i] = ((zh >>> 0) * 2097152 + (zl >>> 11)) / 9007199254740992;
  }
  return out;
}
