import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkExpr, compileExpr, exprLiteral, exprSource } from '../../../../steps/kit/expr/index.js';
import { frozenParam, paramName } from '../../../../steps/kit/expr/params.js';
import { parse } from '../../../../steps/kit/expr/parse.js';

const params = { min_delay: 15, title: "Children's", flag: false, none: null, neg: -5, list: ['SEA', 'SFO'], limits: { low: 1, high: { x: 9 } } };

describe('params.NAME in expressions', () => {
  it('reads the param by name, dotted or bracketed', () => {
    expect(paramName(parse('params.min_delay').ast!)).toBe('min_delay');
    expect(paramName(parse('params["a b"]').ast!)).toBe('a b');
    expect(paramName(parse('r.params').ast!)).toBeUndefined();
    expect(paramName(parse('params[r.k]').ast!)).toBeUndefined();
  });

  it('is the typed value: a number compares as a number, a string with a quote as itself', () => {
    expect(compileExpr('r.delay >= params.min_delay', params)({ delay: 15 })).toBe(true);
    expect(compileExpr('r.delay >= params.min_delay', params)({ delay: 9 })).toBe(false);
    expect(compileExpr('r.title == params.title', params)({ title: "Children's" })).toBe(true);
    expect(compileExpr('params.flag ?? 1', params)(null)).toBe(false);
    expect(compileExpr('params.none ?? "dflt"', params)(null)).toBe('dflt');
    expect(compileExpr('params.list.includes(r.origin)', params)({ origin: 'SFO' })).toBe(true);
    expect(compileExpr('params.limits.high.x * r', params)(2)).toBe(18);
  });

  it('is compiled in as a constant: no lookup per record', () => {
    const source = exprSource('r > params.min_delay && r != params.title', params);
    expect(source).toBe('((r > 15) && (r != "Children\'s"))');
    // A param's number is a number: `+` needs no string guard.
    expect(exprSource('r.a * 2 + params.min_delay', params)).toBe('((r.a * 2) + 15)');
    // An object or array is held by the closure.
    expect(exprSource('params.list.length', params)).toBe('$p[0].length');
  });

  it('keeps a negative number one operand: -params.neg is 5, not a decrement', () => {
    expect(compileExpr('-params.neg', params)(null)).toBe(5);
    expect(compileExpr('r - params.neg', params)(1)).toBe(6);
    expect(compileExpr('params.neg ** 2', { neg: 3 })(null)).toBe(9);
  });

  it("freezes an object param's copy, so no record sees another's changes", () => {
    const value = { a: [1, { b: 2 }] };
    const frozen = frozenParam(value) as { a: [number, { b: number }] };
    expect(frozen).toEqual(value);
    expect(frozen).not.toBe(value);
    expect(Object.isFrozen(frozen.a[1])).toBe(true);
    expect(Object.isFrozen(value)).toBe(false);
  });

  it('refuses an unknown param at its place, with a did-you-mean', () => {
    expect(checkExpr('r.delay >= params.min_dealy', params)).toEqual([
      { code: 'UNDEFINED_PARAM', message: 'no param named min_dealy', offset: 11, length: 16, hint: 'did you mean "params.min_delay"?' },
    ]);
    expect(checkExpr('params.zzz', { a: 1, b: 2 })[0]!.hint).toBe('known params: a, b');
    expect(checkExpr('params.n', {})[0]!.hint).toBe('declare it under params: with a default (--set n=VALUE overrides it)');
    expect(() => compileExpr('params.nope', params)).toThrow('no param named nope');
  });

  it('refuses params alone and a param chosen at run time', () => {
    expect(checkExpr('params', params)).toEqual([
      { code: 'EXPR_FORBIDDEN', message: '"params" can only be used with a name after it', offset: 0, length: 6, hint: 'e.g. params.min_delay' },
    ]);
    expect(checkExpr('params[r.k]', params).map((i) => i.message)).toEqual(['a param chosen at run time cannot be read']);
    // A near miss of the name itself points at params.
    expect(checkExpr('param.x', params)[0]!.hint).toBe('did you mean "params"?');
  });
});

describe('exprLiteral', () => {
  it.each([
    ['abc', '"abc"'],
    ['Children\'s "x"', '"Children\'s \\"x\\""'],
    ['1 || true', '"1 || true"'],
    [30, '30'],
    [-2.5, '(-2.5)'],
    [true, 'true'],
    [null, 'null'],
    [Number.NaN, 'NaN'],
    [-Infinity, '(-Infinity)'],
    [[1, 'a'], '[1, "a"]'],
    [{ 'a b': [true] }, '{"a b": [true]}'],
  ])('%j -> %s', (value, text) => {
    expect(exprLiteral(value)).toBe(text);
  });

  it('gives, for any JSON-like value, an expression whose value is that value', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(
          fc
            .string()
            .filter(
              (k) => !['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__'].includes(k),
            ),
          tie('value'),
          { maxKeys: 3 },
        ),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(compileExpr(exprLiteral(value))(null)).toEqual(value);
      }),
    );
  });
});
