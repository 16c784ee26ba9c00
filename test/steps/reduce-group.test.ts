import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import group from '../../steps/reduce-group.js';
import sum from '../../steps/reduce-sum.js';
import mean from '../../steps/reduce-mean.js';
import min from '../../steps/reduce-min.js';
import max from '../../steps/reduce-max.js';
import { FlowError } from '../../engine/contract/errors.js';
import { canon, checkCombiner, checkDefinition, reduceAll } from './reduce-harness.js';

const all = {
  by: 'k',
  aggregate: { n: 'count', s: { sum: 'v' }, m: { mean: 'v' }, lo: { min: 'v' }, hi: { max: 'v' } },
} as const;

const key = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('1', '__proto__', 'constructor', 'a', 'B', 'é', '\u{1F600}', '\uFF5E', true, false, null, undefined, -0, 0.5),
);
const value = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(null, 0.1, 1e308));
const record = fc.record({ k: key, v: value }, { requiredKeys: [] });
const records = fc.array(record, { maxLength: 40 });

describe('group', () => {
  it('is a valid step definition', () => checkDefinition(group));

  it('gives one row per key with its aggregates', () => {
    const rows = reduceAll(group, all, [
      { k: 'b', v: 2 },
      { k: 'a', v: 1 },
      { k: 'b', v: null },
      { k: 'b', v: 4 },
    ]);
    expect(rows).toEqual([
      { k: 'a', n: 1, s: 1, m: 1, lo: 1, hi: 1 },
      { k: 'b', n: 3, s: 6, m: 3, lo: 2, hi: 4 },
    ]);
  });

  it('sorts numbers, then strings by code unit, then false, true, and null last; 1 and "1" differ', () => {
    const keys = [null, 'b', true, '1', 10, 'B', false, -2, 1, '\uFF5E', '\u{1F600}', NaN, 2.5];
    const rows = reduceAll(
      group,
      { by: 'k' },
      keys.map((k) => ({ k })),
    ) as { k: unknown; count: number }[];
    expect(rows.map((r) => r.k)).toEqual([-2, 1, 2.5, 10, NaN, '1', 'B', 'b', '\u{1F600}', '\uFF5E', false, true, null]);
    expect(rows.every((r) => r.count === 1)).toBe(true);
  });

  it('puts missing keys in the null group and -0 in the 0 group', () => {
    const rows = reduceAll(group, { by: 'k' }, [{ k: -0 }, {}, { k: 0 }, { k: null }]);
    expect(canon(rows)).toBe(
      canon([
        { k: 0, count: 2 },
        { k: null, count: 2 },
      ]),
    );
  });

  it('handles "__proto__" as a key, a field name and an aggregate name', () => {
    const recs = [JSON.parse('{"__proto__": "__proto__", "v": 1}'), JSON.parse('{"__proto__": "x", "v": 2}'), { v: 3 }];
    const rows = reduceAll(group, { by: '__proto__', aggregate: { constructor: 'count' as const, toString: { sum: 'v' } } }, recs) as object[];
    expect(rows.map((r) => JSON.stringify(r))).toEqual([
      '{"__proto__":"__proto__","constructor":1,"toString":1}',
      '{"__proto__":"x","constructor":1,"toString":2}',
      '{"__proto__":null,"constructor":1,"toString":3}',
    ]);
    expect(rows.every((r) => Object.getPrototypeOf(r) === Object.prototype)).toBe(true);
  });

  it('reads only own fields, whatever their names: "constructor" is missing unless the record has it; quotes and backslashes are names too', () => {
    const odd = 'a"b\\c\'d\n${x}';
    const recs = [{ k: 1 }, { k: 1, constructor: 5, [odd]: 2 }, { [odd]: 'x', k: 2, constructor: null }];
    const options = { by: 'k', aggregate: { c: { sum: 'constructor' }, lo: { min: 'constructor' }, n: 'count' } } as const;
    expect(reduceAll(group, options, recs)).toEqual([
      { k: 1, c: 5, lo: 5, n: 2 },
      { k: 2, c: 0, lo: null, n: 1 },
    ]);
    expect(() => reduceAll(group, { by: odd, aggregate: { m: { mean: odd } } }, recs)).toThrow(
      `group: aggregate "m": field "${odd}" is "x" (a string), not a number`,
    );
    expect(reduceAll(group, { by: odd, aggregate: { m: { mean: odd } } }, recs.slice(0, 2))).toEqual([
      { [odd]: 2, m: 2 },
      { [odd]: null, m: null },
    ]);
  });

  it('gives [] for no records', () => expect(reduceAll(group, all, [])).toEqual([]));

  it('rejects keys that are not scalars, and records that are not objects', () => {
    expect(() => reduceAll(group, { by: 'k' }, [{ k: [1] }])).toThrow(FlowError);
    expect(() => reduceAll(group, { by: 'k' }, [{ k: { a: 1 } }])).toThrow(
      'group: field "k" is {"a":1} (an object); a group key must be a string, a number, a boolean or null',
    );
    expect(() => reduceAll(group, { by: 'k' }, [5])).toThrow('group: the record is 5 (a number), not an object with field "k"');
    expect(() => reduceAll(group, all, [{ k: 1, v: '2' }])).toThrow('group: aggregate "s": field "v" is "2" (a string), not a number');
  });

  it('check() refuses an aggregate named like the key field', () => {
    expect(group.check!({ by: 'k', aggregate: { k: 'count', n: 'count' } })).toEqual([
      {
        path: 'aggregate.k',
        code: 'INVALID_VALUE',
        message: 'the aggregate "k" has the name of the key field "by" and would overwrite it',
        hint: 'give the aggregate another name',
      },
    ]);
    expect(group.check!(all)).toEqual([]);
  });

  it('reads the key and the aggregated fields', () => {
    expect(group.fields!(all)).toEqual(['k', 'v', 'v', 'v', 'v']);
    expect(group.fields!({ by: 'k' })).toEqual(['k']);
  });

  it('agrees with the sum, mean, min and max steps within each group', () => {
    fc.assert(
      fc.property(records, (rs) => {
        const rows = reduceAll(group, all, rs) as Record<string, unknown>[];
        for (const row of rows) {
          const same = rs.filter((r) => canon(r.k === undefined ? null : r.k === 0 ? 0 : r.k) === canon(row.k));
          const v = { field: 'v' };
          expect(canon(row)).toBe(
            canon({
              k: row.k,
              n: same.length,
              s: reduceAll(sum, v, same),
              m: reduceAll(mean, v, same),
              lo: reduceAll(min, v, same),
              hi: reduceAll(max, v, same),
            }),
          );
        }
        expect(rows.reduce((n, r) => n + (r.n as number), 0)).toBe(rs.length);
      }),
      { numRuns: 300 },
    );
  });

  it('is a combiner', () => checkCombiner(group, all, records, 400));
});
