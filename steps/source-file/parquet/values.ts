// How Parquet values become record values (README, "Parquet"): what DuckDB's JSON export gives,
// where that is a JSON value. Integers are numbers, or exact BigInts past 2^53 (as NDJSON reads
// them); timestamps and dates are text in DuckDB's form; decimals are numbers; nulls are null.
import type { ParquetParsers, SchemaElement } from 'hyparquet';

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = -MAX;

/** A decoded value as a record value. */
export function plain(value: unknown): unknown {
  switch (typeof value) {
    case 'bigint':
      return value >= MIN && value <= MAX ? Number(value) : value;
    case 'undefined':
      return null;
    case 'object':
      return value === null ? null : plainObject(value);
    default:
      return value;
  }
}

function plainObject(value: object): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return timestampText(BigInt(value.getTime()), 1000n, 3, '');
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) define(out, key, plain(v));
  return out;
}

/** out[key] = value, also for a key named __proto__. */
export function define(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

let lastSeconds: bigint | undefined;
let lastText = '';

/**
 * `YYYY-MM-DD HH:MM:SS[.fraction]` in UTC, as DuckDB writes a TIMESTAMP: the fraction at the unit's
 * precision without trailing zeros; `suffix` "+00" for a timestamp adjusted to UTC (TIMESTAMPTZ).
 */
export function timestampText(value: bigint, perSecond: bigint, digits: number, suffix: string): string {
  let seconds = value / perSecond;
  let fraction = value % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  // Consecutive rows often fall in the same second (sorted data): format it once.
  if (seconds !== lastSeconds) {
    lastSeconds = seconds;
    lastText = isoDate(Number(seconds) * 1000)
      .slice(0, 19)
      .replace('T', ' ');
  }
  if (fraction === 0n) return lastText + suffix;
  return `${lastText}.${fraction.toString().padStart(digits, '0').replace(/0+$/, '')}${suffix}`;
}

/** `YYYY-MM-DD`, as DuckDB writes a DATE. */
export function dateText(days: number): string {
  return isoDate(days * 86_400_000).slice(0, 10);
}

function isoDate(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new RangeError(`a date or timestamp out of range (${ms} ms from 1970)`);
  return date.toISOString();
}

/** The parsers hyparquet calls for one column: timestamps and dates as text. */
export function parsersFor(element: SchemaElement): Partial<ParquetParsers> {
  const logical = element.logical_type;
  const suffix = logical?.type === 'TIMESTAMP' && logical.isAdjustedToUTC ? '+00' : '';
  return {
    timestampFromMilliseconds: (v: bigint) => timestampText(BigInt(v), 1000n, 3, suffix),
    timestampFromMicroseconds: (v: bigint) => timestampText(BigInt(v), 1_000_000n, 6, suffix),
    timestampFromNanoseconds: (v: bigint) => timestampText(BigInt(v), 1_000_000_000n, 9, suffix),
    dateFromDays: (days: number) => dateText(days),
  };
}
