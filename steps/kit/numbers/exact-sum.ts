// An exact sum of numbers whose result does not depend on the order or grouping of additions.
// Safe integers take a fast path into a plain number that spills into a BigInt before it could lose
// precision; other doubles go into Shewchuk partials (as Python's math.fsum), merged exactly; values
// too large for the partials to add without overflow are kept as an exact BigInt. The state is plain
// structured-clonable data, so it can cross threads.
import { BLOCK, kernels } from '../wasm/kernels.js';
import { ratioToDouble, SCALE_BITS, toScaled } from './rational.js';

export interface ExactSum {
  /** Sum of the safe-integer values, while it stays a safe integer. */
  int: number;
  /** What spilled out of `int`, exactly. */
  big: bigint;
  /** Non-overlapping partials of the other finite values, in increasing magnitude. */
  partials: number[];
  /** Values (and spilled partials) of magnitude >= 2^1020, times 2^1074, exactly. */
  wide: bigint;
  /** Sum of the infinities and NaNs added; 0 when there were none. */
  special: number;
  /** A value that is not a safe integer was added: the result is a double, not an exact integer. */
  float: boolean;
}

// Below this, adding a value to partials whose top is also below it cannot overflow (< 2^1022).
const LARGE = 2 ** 1020;

export function exactSum(): ExactSum {
  return { int: 0, big: 0n, partials: [], wide: 0n, special: 0, float: false };
}

export function addNumber(s: ExactSum, x: number): void {
  if (Number.isSafeInteger(x)) {
    const t = s.int + x;
    // A safe result of two safe integers is exact; an unsafe one may be rounded, so redo it exactly.
    if (Number.isSafeInteger(t)) s.int = t;
    else {
      s.big += BigInt(s.int) + BigInt(x);
      s.int = 0;
    }
    return;
  }
  s.float = true;
  if (Number.isFinite(x)) addFinite(s, x);
  else s.special += x;
}

/** addNumber, or an exact integer (a BigInt, from a reader): it joins the integer part exactly. */
export function addValue(s: ExactSum, x: number | bigint): void {
  if (typeof x === 'bigint') s.big += x;
  else addNumber(s, x);
}

function addFinite(s: ExactSum, x: number): void {
  if (Math.abs(x) >= LARGE) {
    s.wide += toScaled(x);
    return;
  }
  const p = s.partials;
  if (p.length > 0 && Math.abs(p[p.length - 1]!) >= LARGE) {
    for (const v of p) s.wide += toScaled(v);
    p.length = 0;
  }
  // Shewchuk's grow-expansion: every step is an exact two-sum, zero partials are dropped.
  let i = 0;
  const n = p.length;
  for (let j = 0; j < n; j++) {
    let y = p[j]!;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[i++] = lo;
    x = hi;
  }
  // Usually the length does not change: avoid resizing the array (shrinking it reallocates in V8).
  if (i === n) p.push(x);
  else {
    p[i] = x;
    if (i + 1 < n) p.length = i + 1;
  }
}

/**
 * Adds every number of an array, with exactly the result of adding them one by one. Multiples of
 * 2^-53 in (-1, 1) (uniform random floats are such) are summed in bulk as integer numerators, in
 * WebAssembly (a 128-bit integer, steps/kit/wasm/kernels.wat) or else in JS (two halves in doubles),
 * and folded in at the end; any other number goes through addNumber.
 */
export function addNumbers(s: ExactSum, values: Float64Array): void {
  const k = kernels();
  if (!k) return addNumbersScalar(s, values);
  const block = k.block;
  k.takeSum(); // starts from zero even if an earlier call was cut short
  for (let at = 0; at < values.length; at += BLOCK) {
    const n = Math.min(BLOCK, values.length - at);
    block.set(values.subarray(at, at + n));
    for (let i = k.addUniform(0, n); i < n;) {
      // What the kernel leaves (integers, say) comes in runs: add the whole run here, not one per call.
      do addNumber(s, block[i]!);
      while (++i < n && !isUniform(block[i]!));
      if (i < n) i = k.addUniform(i, n);
    }
  }
  k.takeSum();
  // The sum of the numerators K = hi * 2^64 + lo1 * 2^32 + lo0, times 2^-53, in exact doubles.
  const hi = block[0]!;
  const lo1 = block[1]!;
  const lo0 = block[2]!;
  const nonZero = block[3] !== 0;
  fold(s, hi * 2 ** 11, lo1 * 2 ** -21, lo0 * 2 ** -53, nonZero);
}

/** Folds a bulk sum, given as exact doubles, into s. */
function fold(s: ExactSum, a: number, b: number, c: number, nonZero: boolean): void {
  addNumber(s, a);
  addNumber(s, b);
  addNumber(s, c);
  // A non-zero value in (-1, 1) is not an integer: one by one, it would have marked the sum a double.
  if (nonZero) s.float = true;
}

const TWO_26 = 2 ** 26;
const TWO_53 = 2 ** 53;

/** What the kernel's addUniform takes: a multiple of 2^-53 in (-1, 1). */
function isUniform(x: number): boolean {
  const k = x * TWO_53;
  return x > -1 && x < 1 && Math.floor(k) === k;
}

/** `addNumbers` in plain JS, for when WebAssembly is unavailable. */
export function addNumbersScalar(s: ExactSum, values: Float64Array): void {
  // Each numerator k is split into h = floor(k / 2^26) and k - h * 2^26; their sums stay exact in
  // doubles for 2^26 values, so they are folded in every 2^26 values. Plain locals and no closure
  // over them: captured by one, they lived in a heap context and the loop ran 5x slower.
  let high = 0;
  let low = 0;
  let n = 0;
  let nonZero = false;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const k = x * TWO_53; // exact for |x| < 1 (a power-of-two scaling); NaN fails the test below
    if (x > -1 && x < 1 && Math.floor(k) === k) {
      const h = Math.floor(k * (1 / TWO_26));
      high += h; // |h| < 2^27, fewer than 2^26 of them: |high| < 2^53
      low += k - h * TWO_26; // 0 <= each < 2^26: low < 2^52
      if (x !== 0) nonZero = true;
      if (++n === TWO_26) {
        fold(s, high * 2 ** -27, low * 2 ** -53, 0, nonZero);
        high = low = n = 0;
        nonZero = false;
      }
    } else {
      addNumber(s, x);
    }
  }
  if (n > 0) fold(s, high * 2 ** -27, low * 2 ** -53, 0, nonZero);
}

/** Adds b into a (a is reused and returned; b is left unchanged). */
export function mergeExactSum(a: ExactSum, b: ExactSum): ExactSum {
  const t = a.int + b.int;
  if (Number.isSafeInteger(t)) a.int = t;
  else {
    a.big += BigInt(a.int) + BigInt(b.int);
    a.int = 0;
  }
  // Each BigInt addition allocates, even of zeros: the main thread merges thousands of these.
  if (b.big !== 0n) a.big += b.big;
  if (b.wide !== 0n) a.wide += b.wide;
  for (const v of b.partials) addFinite(a, v);
  a.special += b.special;
  a.float ||= b.float;
  return a;
}

/** The exact finite part, times 2^1074. */
function scaled(s: ExactSum): bigint {
  let total = ((s.big + BigInt(s.int)) << SCALE_BITS) + s.wide;
  for (const v of s.partials) total += toScaled(v);
  return total;
}

/** The finite part is one double exactly (the common case), or undefined. */
function asOneDouble(s: ExactSum): number | undefined {
  if (s.big !== 0n || s.wide !== 0n || s.partials.length > 1) return undefined;
  const a = s.int;
  const b = s.partials[0] ?? 0;
  const hi = a + b;
  const bv = hi - a;
  return a - (hi - bv) + (b - bv) === 0 ? hi : undefined; // two-sum: no rounding error
}

/**
 * The sum: an exact integer when only integers were added (a BigInt when it is not a safe integer),
 * otherwise the exact sum correctly rounded to a double (once).
 */
export function sumResult(s: ExactSum): number | bigint {
  if (s.special !== 0) return s.special; // an infinity, or NaN (which is !== 0 too)
  if (!s.float) {
    if (s.big === 0n) return s.int;
    const total = s.big + BigInt(s.int);
    return total >= -Number.MAX_SAFE_INTEGER && total <= Number.MAX_SAFE_INTEGER ? Number(total) : total;
  }
  if (s.big === 0n && s.wide === 0n && s.partials.length <= 1) return s.int + (s.partials[0] ?? 0);
  return ratioToDouble(scaled(s), 1n << SCALE_BITS);
}

/** The exact sum divided by n, correctly rounded once; null when n is 0. */
export function meanResult(s: ExactSum, n: number): number | null {
  if (n === 0) return null;
  if (s.special !== 0) return s.special;
  const one = asOneDouble(s);
  if (one !== undefined) return one / n; // both exact doubles: IEEE division rounds correctly
  if (!s.float) return ratioToDouble(s.big + BigInt(s.int), BigInt(n));
  return ratioToDouble(scaled(s), BigInt(n) << SCALE_BITS);
}
