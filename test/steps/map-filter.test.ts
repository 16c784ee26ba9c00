import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MapStep } from '../../engine/contract/step.js';
import filter from '../../steps/map-filter.js';
import transform from '../../steps/map-transform.js';
import { checkDefinition, ctx } from './reduce-harness.js';
import { runMap } from './map-harness.js';

describe('filter', () => {
  it('is a valid step definition', () => checkDefinition(filter));

  it('keeps the records for which the expression is truthy, in order', () => {
    const rs = [{ d: 90 }, { d: 10 }, { d: 61 }, { d: null }, {}];
    expect(runMap(filter, { where: 'r.d > 60' }, rs)).toEqual([{ d: 90 }, { d: 61 }]);
    expect(runMap(filter, { where: 'r' }, [0, 1, '', 'a', null, NaN, [], false])).toEqual([1, 'a', []]);
  });

  it('returns the record itself, not a copy', () => {
    const r = { a: 1 };
    expect(runMap(filter, { where: 'true' }, [r])[0]).toBe(r);
  });

  it('check() points inside the expression', () => {
    expect(filter.check!({ where: 'r.delay >' })).toEqual([
      { path: 'where', code: 'EXPR_SYNTAX', message: 'unexpected end of expression', offset: 9, length: 1, hint: 'expected a value after ">"' },
    ]);
    expect(filter.check!({ where: 'evall(r.x)' })).toEqual([
      { path: 'where', code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown function "evall"', offset: 0, length: 5, hint: expect.any(String) },
    ]);
    expect(filter.check!({ where: 'r.delay > 60' })).toEqual([]);
  });

  it('reads params.NAME from ctx.params, in check() and in setup()', () => {
    const withParams = { ...ctx, params: { min: 60, title: "Children's" } };
    const state = filter.setup!({ where: 'r.d > params.min && r.t != params.title' }, withParams) as (r: unknown) => unknown;
    expect(
      [
        { d: 90, t: 'x' },
        { d: 10, t: 'x' },
        { d: 90, t: "Children's" },
      ].filter((r) => filter.map!(r, state) !== undefined),
    ).toEqual([{ d: 90, t: 'x' }]);
    expect(filter.check!({ where: 'r.d > params.mni' }, withParams)).toEqual([
      { path: 'where', code: 'UNDEFINED_PARAM', message: 'no param named mni', offset: 6, length: 10, hint: 'did you mean "params.min"?' },
    ]);
  });

  it('reads the fields of its expression', () => {
    expect(filter.fields!({ where: 'r.a > 1 && r["b c"] != null' })).toEqual(['a', 'b c']);
    expect(filter.fields!({ where: 'r[r.k]' })).toBeUndefined();
  });
});

describe('transform', () => {
  it('is a valid step definition', () => checkDefinition(transform));

  it('replaces each record with the value', () => {
    expect(runMap(transform, { expr: 'r * r' }, [1, 2, 3])).toEqual([1, 4, 9]);
    expect(runMap(transform, { expr: 'r.a' }, [{ a: { b: 1 } }, { a: 0 }])).toEqual([{ b: 1 }, 0]);
  });

  it('maps one to one: undefined becomes null, never a dropped record', () => {
    expect(runMap(transform, { expr: 'r.missing' }, [{}, { missing: 2 }])).toEqual([null, 2]);
  });

  it('check() points inside the expression, at path expr', () => {
    expect(transform.check!({ expr: 'r.constructor' })).toEqual([
      { path: 'expr', code: 'EXPR_FORBIDDEN', message: '"constructor" is not allowed', offset: 2, length: 11 },
    ]);
  });

  it('reads the fields of its expression, or all of the record', () => {
    expect(transform.fields!({ expr: 'r.x * 2' })).toEqual(['x']);
    expect(transform.fields!({ expr: 'r * r' })).toBeUndefined();
  });
});

describe('fast.numbers, the bulk form of filter and transform', () => {
  const numbers = fc.float64Array({ maxLength: 200 });
  const bulk = <O>(step: MapStep<O>, options: O, values: Float64Array) => step.fast!.numbers!.map(values, step.setup!(options, ctx));

  it.each(['r > 0.5', 'r % 2 === 0', 'r', 'Number.isInteger(r)'])('filter %s keeps exactly what map keeps', (where) => {
    fc.assert(
      fc.property(numbers, (values) => {
        expect(Array.from(bulk(filter, { where }, values)!)).toEqual(runMap(filter, { where }, Array.from(values)));
      }),
    );
    expect(filter.fast!.numbers!.always({ where })).toBe(true);
  });

  it.each(['r * r', '-r', 'Math.floor(r / 3)', 'r > 0 ? r : 0'])('transform %s gives what map gives, as numbers', (expr) => {
    fc.assert(
      fc.property(numbers, (values) => {
        expect(Array.from(bulk(transform, { expr }, values)!)).toEqual(runMap(transform, { expr }, Array.from(values)));
      }),
    );
    expect(transform.fast!.numbers!.always({ expr })).toBe(true);
  });

  it('transform gives undefined (record by record instead) when a result is not a number or the expression throws', () => {
    expect(bulk(transform, { expr: 'r > 1 ? "big" : r' }, Float64Array.from([0, 1, 2]))).toBeUndefined();
    expect(bulk(transform, { expr: 'r > 1 ? r.x.y : r' }, Float64Array.from([0, 1, 2]))).toBeUndefined();
    expect(transform.fast!.numbers!.always({ expr: 'r > 1 ? "big" : r' })).toBe(false);
  });
});
