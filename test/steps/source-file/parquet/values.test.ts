// Parquet values as record values: timestamps and dates as DuckDB writes them, safe integers.
import { describe, expect, it } from 'vitest';
import { dateText, plain, timestampText } from '../../../../steps/source-file/parquet/index.js';

describe('Parquet values', () => {
  it('writes timestamps like DuckDB: no trailing zeros in the fraction, before 1970 too, +00 when adjusted to UTC', () => {
    expect(timestampText(978307260_000_000n, 1_000_000n, 6, '')).toBe('2001-01-01 00:01:00');
    expect(timestampText(978307260_500_000n, 1_000_000n, 6, '')).toBe('2001-01-01 00:01:00.5');
    expect(timestampText(978307260_000_123n, 1_000_000n, 6, '+00')).toBe('2001-01-01 00:01:00.000123+00');
    expect(timestampText(-1n, 1000n, 3, '')).toBe('1969-12-31 23:59:59.999');
    expect(timestampText(1_000_000_001n, 1_000_000_000n, 9, '')).toBe('1970-01-01 00:00:01.000000001');
    expect(dateText(0)).toBe('1970-01-01');
    expect(dateText(-1)).toBe('1969-12-31');
  });

  it('keeps integers exact: a number up to 2^53 - 1, a BigInt beyond', () => {
    expect(plain(2n ** 53n - 1n)).toBe(2 ** 53 - 1);
    expect(plain(-(2n ** 53n) + 1n)).toBe(-(2 ** 53) + 1);
    expect(plain(2n ** 53n)).toBe(2n ** 53n);
    expect(plain(undefined)).toBe(null);
    expect(plain({ a: [1n, undefined], b: new Uint8Array([1, 2, 3]) })).toStrictEqual({ a: [1, null], b: 'AQID' });
  });
});
