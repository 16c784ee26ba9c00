// A JSON Schema pattern for a size written as text ("8MiB") that is at least some number of bytes:
// JSON Schema's `minimum` applies to numbers only, so the small sizes are spelled out as a regex,
// unit by unit, and refused with a negative lookahead. Exact for every decimal the size syntax allows.

/** The units of SIZE_PATTERN (schema.ts) and what each multiplies by; `''` and B are bytes. */
const UNITS: [suffix: string, bytes: bigint][] = [
  ['B?', 1n],
  ['(?:KB|k|K)', 1000n],
  ['KiB', 1024n],
  ['(?:MB|M)', 1000n ** 2n],
  ['MiB', 1024n ** 2n],
  ['(?:GB|G)', 1000n ** 3n],
  ['GiB', 1024n ** 3n],
  ['(?:TB|T)', 1000n ** 4n],
  ['TiB', 1024n ** 4n],
];

/** SIZE_PATTERN without the sizes below `min` bytes. */
export function minSizePattern(sizePattern: string, min: number): string {
  const small = UNITS.map(([suffix, bytes]) => `(?:${below(quotient(BigInt(min), bytes))})\\s*${suffix}`);
  return `^(?!\\s*(?:${small.join('|')})\\s*$)${sizePattern.replace(/^\^/, '')}`;
}

/** n / d as an exact decimal [integer digits, fraction digits]: d is a product of 2s and 5s here. */
function quotient(n: bigint, d: bigint): [string, string] {
  const whole = (n / d).toString();
  let rest = n % d;
  let fraction = '';
  while (rest !== 0n) {
    rest *= 10n;
    fraction += (rest / d).toString();
    rest %= d;
  }
  return [whole === '0' ? '' : whole, fraction];
}

/** A regex for the decimals `\d+(\.\d+)?` whose value is below int.frac (no leading or trailing zeros). */
export function below([int, frac]: [string, string]): string {
  const anyFraction = '(?:\\.\\d+)?';
  const alternatives: string[] = [];
  // A smaller integer part, with any fraction.
  if (int !== '') {
    alternatives.push(`0+${anyFraction}`);
    if (int.length > 1) alternatives.push(`0*[1-9]\\d{0,${int.length - 2}}${anyFraction}`);
    for (let k = 0; k < int.length; k++) {
      const low = k === 0 ? 1 : 0;
      const digit = Number(int[k]);
      if (digit > low) alternatives.push(`0*${int.slice(0, k)}${range(low, digit - 1)}${'\\d'.repeat(int.length - k - 1)}${anyFraction}`);
    }
  }
  // The same integer part and a smaller fraction: a shorter prefix of it, or a smaller digit after one.
  if (frac !== '') {
    const fractions: string[] = [];
    for (let k = 0; k < frac.length; k++) {
      const digit = Number(frac[k]);
      const smaller = digit > 0 ? `${range(0, digit - 1)}\\d*` : undefined;
      if (k === 0) {
        if (smaller) fractions.push(smaller);
      } else fractions.push(smaller ? `${frac.slice(0, k)}(?:${smaller})?` : frac.slice(0, k));
    }
    alternatives.push(`${int === '' ? '0+' : `0*${int}`}(?:\\.(?:${fractions.join('|')}))?`);
  }
  return alternatives.join('|');
}

function range(from: number, to: number): string {
  return from === to ? String(from) : `[${from}-${to}]`;
}
