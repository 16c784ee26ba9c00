// min and max over numbers and BigInts (integers past 2^53, kept exact by the readers). Math.min and
// Math.max throw on a BigInt; these agree with them on numbers (NaN wins, -0 is below 0) and stay
// commutative on a number equal to a BigInt by choosing the BigInt.

export type Num = number | bigint;

export function least(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') return Math.min(a, b);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a < b ? a : b < a ? b : typeof a === 'bigint' ? a : b;
}

export function greatest(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') return Math.max(a, b);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return a > b ? a : b > a ? b : typeof a === 'bigint' ? a : b;
}
