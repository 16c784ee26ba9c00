import { describe, expect, it } from 'vitest';
import type { ChunkResult } from '../../../../engine/execution/messages.js';
import { decode, encode, encodeResult } from '../../../../engine/execution/queue/codec.js';
import { INLINE_BYTES } from '../../../../engine/execution/queue/settings.js';

describe('results between machines', () => {
  it("keep every type a reducer's partial uses: BigInt, Map, typed arrays, -0 and NaN", () => {
    const acc = { sum: 2n ** 70n, groups: new Map<unknown, unknown>([['JFK', { n: 3, total: -0 }]]), values: new Float64Array([NaN, 1.5]) };
    const result: ChunkResult = { type: 'partial', acc, index: 4, recordsIn: 10, recordsOut: 9 };
    const back = decode<ChunkResult>(encode(result));
    expect(back).toEqual(result);
    expect(Object.is(((back as { acc: typeof acc }).acc.groups.get('JFK') as { total: number }).total, -0)).toBe(true);
  });

  it(`go inline up to ${INLINE_BYTES} bytes, to a key above`, () => {
    const small: ChunkResult = { type: 'records', records: [{ a: 1 }], index: 0, recordsIn: 1, recordsOut: 1 };
    const large: ChunkResult = { type: 'records', records: [{ a: 'x'.repeat(INLINE_BYTES) }], index: 0, recordsIn: 1, recordsOut: 1 };
    expect(encodeResult(small).inline).toBe(true);
    expect(encodeResult(large).inline).toBe(false);
  });
});
