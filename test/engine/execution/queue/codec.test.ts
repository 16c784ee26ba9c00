import { describe, expect, it } from 'vitest';
import type { ChunkResult } from '../../../../engine/execution/messages.js';
import { decodeResult, encodeResult, jsonExact } from '../../../../engine/execution/queue/codec.js';

// An array with holes (JSON turns a hole into null).
const holey: unknown[] = [];
holey[2] = 3;
const records = (list: unknown[]): ChunkResult => ({ type: 'records', records: list, index: 2, recordsIn: list.length, recordsOut: list.length });

describe('results between machines', () => {
  it("keep every type a reducer's partial uses: BigInt, Map, typed arrays, -0 and NaN (v8)", () => {
    const acc = { sum: 2n ** 70n, groups: new Map<unknown, unknown>([['JFK', { n: 3, total: -0 }]]), values: new Float64Array([NaN, 1.5]) };
    const result: ChunkResult = { type: 'partial', acc, index: 4, recordsIn: 10, recordsOut: 9 };
    const bytes = encodeResult(result, true);
    expect(String.fromCharCode(bytes[0]!)).toBe('V');
    const back = decodeResult(bytes);
    expect(back).toEqual(result);
    expect(Object.is(((back as { acc: typeof acc }).acc.groups.get('JFK') as { total: number }).total, -0)).toBe(true);
  });

  it('map-only records go as JSON only when JSON gives them back exactly', () => {
    const plain = records([{ a: 1, b: 'x', c: [true, null, { d: 2.5 }] }, 'text', 7]);
    expect(String.fromCharCode(encodeResult(plain, true)[0]!)).toBe('J');
    expect(String.fromCharCode(encodeResult(plain, false)[0]!)).toBe('V');
    expect(decodeResult(encodeResult(plain, true))).toEqual(plain);
    for (const odd of [-0, NaN, Infinity, 1n, undefined, new Date(0), new Map(), new Uint8Array(1), { a: undefined }, holey, Object.create(null)]) {
      const result = records([{ ok: 1 }, odd]);
      expect(String.fromCharCode(encodeResult(result, true)[0]!)).toBe('V');
      expect(decodeResult(encodeResult(result, true))).toEqual(result);
    }
  });

  it('jsonExact is the JSON round trip', () => {
    const cases: unknown[] = [0, -0, 1.5, NaN, 'é\ud800', true, null, undefined, [1, 2], holey, { a: 1 }, { a: undefined }, new Date(0), 1n, () => 1];
    for (const value of cases) {
      let same: boolean;
      try {
        const text = JSON.stringify(value);
        same = text !== undefined && Object.is(JSON.parse(text), value) ? true : text !== undefined && deepSame(JSON.parse(text), value);
      } catch {
        same = false;
      }
      expect(jsonExact(value), String(value)).toBe(same);
    }
  });
});

function deepSame(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && deepSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
