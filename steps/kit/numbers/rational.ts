// Exact conversions between doubles and BigInt rationals. These run on rare paths only (huge or
// non-safe values, finishing a float sum), so clarity beats speed here.

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** Every finite double is an integer multiple of 2^-1074; this is that scale. */
export const SCALE_BITS = 1074n;

/** The exact value of a finite double times 2^1074, as a BigInt. */
export function toScaled(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`toScaled: ${x} is not finite`);
  f64[0] = x;
  const bits = u64[0]!;
  const exponent = (bits >> 52n) & 0x7ffn;
  const mantissa = bits & 0xfffffffffffffn;
  // Subnormals are mantissa * 2^-1074; normals are (2^52 + mantissa) * 2^(exponent - 1075).
  const magnitude = exponent === 0n ? mantissa : (mantissa | (1n << 52n)) << (exponent - 1n);
  return bits >> 63n ? -magnitude : magnitude;
}

/** 2^e exactly, for -1074 <= e <= 1023 (built from bits, not from Math.pow). */
export function pow2(e: number): number {
  if (e < -1074) return 0;
  if (e > 1023) return Infinity;
  u64[0] = e >= -1022 ? BigInt(e + 1023) << 52n : 1n << BigInt(e + 1074);
  return f64[0]!;
}

export function bitLength(n: bigint): number {
  return n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length;
}

/** p / q correctly rounded to the nearest double (ties to even), for q > 0. */
export function ratioToDouble(p: bigint, q: bigint): number {
  if (q <= 0n) throw new RangeError('ratioToDouble: the denominator must be positive');
  if (p === 0n) return 0;
  const negative = p < 0n;
  const num = negative ? -p : p;
  // Choose e so that the quotient m = num / (q * 2^e) has 53 bits, or fewer below the normal range.
  let e = bitLength(num) - bitLength(q) - 52; // the quotient is then in (2^51, 2^53)
  const quotient = (exp: number): [bigint, bigint, bigint] => {
    const n = exp >= 0 ? num : num << BigInt(-exp);
    const d = exp >= 0 ? q << BigInt(exp) : q;
    return [n / d, n % d, d];
  };
  let [m, rem, den] = quotient(e);
  if (m < 1n << 52n) [m, rem, den] = quotient(--e);
  if (e < -1074) [m, rem, den] = quotient((e = -1074));
  const twice = rem * 2n;
  if (twice > den || (twice === den && (m & 1n) === 1n)) m += 1n;
  // m <= 2^53 and e >= -1074: the product is exact, or overflows to Infinity as it should.
  const magnitude = e > 1023 ? Infinity : Number(m) * pow2(e);
  return negative ? -magnitude : magnitude;
}
