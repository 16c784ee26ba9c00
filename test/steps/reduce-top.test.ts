import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import top from '../../steps/reduce-top.js';
import { checkCombiner, checkDefinition, reduceAll } from './reduce-harness.js';

const rec = (v: unknown, id: number) => ({ v, id });

describe('top', () => {
  it('is a valid step definition', () => checkDefinition(top));

  it('keeps the n largest by default, the n smallest with order: asc', () => {
    const rs = [5, 1, 9, 3, 7].map(rec);
    expect(reduceAll(top, { n: 2, by: 'v' }, rs)).toEqual([rec(9, 2), rec(7, 4)]);
    expect(reduceAll(top, { n: 2, by: 'v', order: 'asc' }, rs)).toEqual([rec(1, 1), rec(3, 3)]);
    expect(reduceAll(top, { n: 10, by: 'v' }, rs)).toHaveLength(5);
    expect(reduceAll(top, { n: 3, by: 'v' }, [])).toEqual([]);
  });

  it('keeps source order among ties, -0 and 0 included', () => {
    const rs = [rec(1, 0), rec(2, 1), rec(1, 2), rec(2, 3), rec(-0, 4), rec(0, 5)];
    expect(reduceAll(top, { n: 3, by: 'v' }, rs)).toEqual([rec(2, 1), rec(2, 3), rec(1, 0)]);
    expect(reduceAll(top, { n: 3, by: 'v', order: 'asc' }, rs)).toEqual([rec(-0, 4), rec(0, 5), rec(1, 0)]);
  });

  it('leaves out records without a value, and rejects non-numbers and NaN', () => {
    expect(reduceAll(top, { n: 5, by: 'v' }, [rec(null, 0), { id: 1 }, rec(3, 2)])).toEqual([rec(3, 2)]);
    expect(() => reduceAll(top, { n: 1, by: 'v' }, [rec('3', 0)])).toThrow('top: field "v" is "3" (a string), not a number');
    expect(() => reduceAll(top, { n: 1, by: 'v' }, [rec(NaN, 0)])).toThrow('top: field "v" is NaN, which cannot be ranked');
  });

  const values = fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.double({ noNaN: true }), fc.constant(null)), { maxLength: 40 });
  const records = values.map((vs) => vs.map(rec));

  it.each(['desc', 'asc'] as const)('matches a stable sort (%s)', (order) => {
    fc.assert(
      fc.property(records, fc.integer({ min: 1, max: 8 }), (rs, n) => {
        const sign = order === 'desc' ? -1 : 1;
        const want = rs
          .filter((r) => r.v !== null)
          .sort((a, b) => sign * ((a.v as number) - (b.v as number)) || 0)
          .slice(0, n);
        // Infinity - Infinity is NaN: compare such pairs as ties, as the stable sort above does with || 0.
        expect(reduceAll(top, { n, by: 'v', order }, rs)).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });

  it.each(['desc', 'asc'] as const)('is a combiner (%s)', (order) => {
    checkCombiner(top, { n: 3, by: 'v', order }, records, 400);
    checkCombiner(top, { n: 1, by: 'v', order }, records, 200);
  });
});
