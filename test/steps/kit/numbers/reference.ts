// Independent exact references for the numeric tests: doubles as BigInt rationals, and correct
// rounding through the engine's decimal parser (a long division with a sticky digit), not through
// engine/numeric.

/** x = m / 2^k exactly, found by doubling (exact for finite doubles). */
export function dyadic(x: number): { m: bigint; k: number } {
  let k = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    k++;
  }
  return { m: BigInt(x), k };
}

/** The exact sum of finite doubles, as m / 2^1074. */
export function exactScaledSum(xs: number[]): bigint {
  let total = 0n;
  for (const x of xs) {
    const { m, k } = dyadic(x);
    total += m << BigInt(1074 - k);
  }
  return total;
}

const DIGITS = 1100n; // more fractional digits than any midpoint between doubles has (1075)

/** p / q (q > 0) rounded to the nearest double by Number(decimal string). */
export function roundRef(p: bigint, q: bigint): number {
  const negative = p < 0n;
  const a = negative ? -p : p;
  const int = a / q;
  const scaled = (a % q) * 10n ** DIGITS;
  const frac = scaled / q;
  const sticky = scaled % q === 0n ? '' : '1';
  const text = `${negative ? '-' : ''}${int}.${frac.toString().padStart(Number(DIGITS), '0')}${sticky}`;
  return Number(text);
}
