import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import count from '../../steps/reduce-count.js';
import collect from '../../steps/reduce-collect.js';
import { checkCombiner, checkDefinition, reduceAll } from './reduce-harness.js';

const records = fc.array(fc.jsonValue(), { maxLength: 30 });

describe('count', () => {
  it('is a valid step definition', () => checkDefinition(count));

  it('counts every record, null included, and 0 for none', () => {
    expect(reduceAll(count, {}, [1, null, { a: 1 }, 'x'])).toBe(4);
    expect(reduceAll(count, {}, [])).toBe(0);
  });

  it('reads no field', () => expect(count.fields!({})).toEqual([]));

  it('is a combiner', () => checkCombiner(count, {}, records));
});

describe('collect', () => {
  it('is a valid step definition', () => checkDefinition(collect));

  it('keeps every record in source order, and [] for none', () => {
    expect(reduceAll(collect, {}, [3, 1, { a: 2 }])).toEqual([3, 1, { a: 2 }]);
    expect(reduceAll(collect, {}, [])).toEqual([]);
  });

  it('merges a then b without spreading (a huge chunk must not overflow the stack)', () => {
    const b = Array.from({ length: 300_000 }, (_, i) => i);
    expect(collect.merge([-1], b, undefined)).toHaveLength(300_001);
  });

  it('is a combiner that keeps source order', () => checkCombiner(collect, {}, records));
});
