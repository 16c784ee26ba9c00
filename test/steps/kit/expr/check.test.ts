import { describe, expect, it } from 'vitest';
import { checkExpr } from '../../../../steps/kit/expr/index.js';

const valid = [
  "r.delay >= 15 && r.origin != 'SEA'",
  'r * r',
  'Number(r.time.slice(11, 13))',
  'r["a b"] + r.a.b + r.list[0] + r.list[r.i]',
  'r.a?.b?.[0] ?? "none"',
  '(r.x % 2 === 0 ? "even" : "odd").toUpperCase()',
  'Math.max(r.a, r.b) + Math.PI * Math.E - Number.MAX_SAFE_INTEGER',
  'Number.isInteger(r.n) && !Number.isNaN(r.n) && isFinite(r.n)',
  'parseInt(r.s, 10) + parseFloat(r.f)',
  'Date.parse(r.time) > Date.parse("2024-01-01")',
  'JSON.stringify({a: 1, "b c": [r.x, null]})',
  'Object.keys(r).length + Object.values(r.o).length + Object.entries(r.o).length',
  'Array.isArray(r.tags) && r.tags.includes("x")',
  'r.name.trim().toLowerCase().startsWith("a")',
  'r.list.slice(1).concat([1]).flat().join("-")',
  'String(r.n).padStart(3, "0")',
  'typeof r.x == "number"',
  '(1.5).toFixed(1)',
  'r.x === undefined || r.y !== null || r.z == NaN || r.w < Infinity',
  'Boolean(r.flag)',
];

describe('checkExpr', () => {
  it.each(valid)('accepts %s', (source) => {
    expect(checkExpr(source)).toEqual([]);
  });

  it('refuses unknown functions, with a suggestion only when one is close', () => {
    expect(checkExpr('evall(r.delay)')).toEqual([
      {
        code: 'EXPR_UNKNOWN_FUNCTION',
        message: 'unknown function "evall"',
        offset: 0,
        length: 5,
        hint: expect.stringMatching(/^allowed: Number, String, .*Math\.\*/),
      },
    ]);
    expect(checkExpr('Nmber(r.x)')).toEqual([
      { code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown function "Nmber"', offset: 0, length: 5, hint: 'did you mean "Number"?' },
    ]);
    expect(checkExpr('1 + Math.abz(r.x)')).toEqual([
      { code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown function "Math.abz"', offset: 4, length: 8, hint: 'did you mean "Math.abs"?' },
    ]);
    expect(checkExpr('Math.random()')).toMatchObject([{ code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown function "Math.random"', offset: 0, length: 11 }]);
    expect(checkExpr('foo.bar(1)')).toMatchObject([{ code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown function "foo.bar"', offset: 0, length: 7 }]);
  });

  it('refuses methods that are not on the list', () => {
    expect(checkExpr('r.tags.map(String)')).toEqual([
      { code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown method "map"', offset: 7, length: 3, hint: expect.stringMatching(/^allowed methods: at, /) },
      { code: 'EXPR_FORBIDDEN', message: '"String" can only be called', offset: 11, length: 6, hint: 'write String(...)' },
    ]);
    expect(checkExpr('r.name.toLowercase()')).toEqual([
      { code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown method "toLowercase"', offset: 7, length: 11, hint: 'did you mean "toLowerCase"?' },
    ]);
    expect(checkExpr('r.list.sort()')).toMatchObject([{ code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown method "sort"', offset: 7, length: 4 }]);
    expect(checkExpr('r.list.push(1)')).toMatchObject([{ code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown method "push"', offset: 7 }]);
    expect(checkExpr('r.s[r.m](1)')).toEqual([
      { code: 'EXPR_FORBIDDEN', message: 'a method chosen at run time cannot be called', offset: 4, length: 3, hint: 'call a method by its name' },
    ]);
  });

  it('refuses constructor, prototype and __proto__ wherever they appear', () => {
    expect(checkExpr('r.constructor')).toEqual([{ code: 'EXPR_FORBIDDEN', message: '"constructor" is not allowed', offset: 2, length: 11 }]);
    expect(checkExpr('r["__proto__"]')).toEqual([{ code: 'EXPR_FORBIDDEN', message: '"__proto__" is not allowed', offset: 2, length: 11 }]);
    expect(checkExpr("r.s['constructor']('x')")).toMatchObject([{ code: 'EXPR_FORBIDDEN', offset: 4, length: 13 }]);
    expect(checkExpr('r.x.slice.prototype')).toMatchObject([{ code: 'EXPR_FORBIDDEN', message: '"prototype" is not allowed', offset: 10, length: 9 }]);
    expect(checkExpr('{__proto__: r}')).toEqual([{ code: 'EXPR_FORBIDDEN', message: '"__proto__" is not allowed', offset: 1, length: 9 }]);
    expect(checkExpr('{"constructor": 1}')).toMatchObject([{ code: 'EXPR_FORBIDDEN', offset: 1, length: 13 }]);
    expect(checkExpr('constructor')).toMatchObject([{ code: 'EXPR_FORBIDDEN', message: '"constructor" is not allowed', offset: 0, length: 11 }]);
    expect(checkExpr('r.__lookupGetter__("__proto__")')).toMatchObject([{ code: 'EXPR_FORBIDDEN', offset: 2, length: 16 }]);
    expect(checkExpr('Math.constructor')).toEqual([{ code: 'EXPR_FORBIDDEN', message: '"constructor" is not allowed', offset: 5, length: 11 }]);
    expect(checkExpr('globalThis.constructor(1)').map((i) => [i.message, i.offset])).toEqual([
      ['"globalThis" is not allowed', 0],
      ['"constructor" is not allowed', 11],
    ]);
  });

  it('refuses globals, this and unknown names', () => {
    expect(checkExpr('this')).toEqual([{ code: 'EXPR_FORBIDDEN', message: '"this" is not allowed', offset: 0, length: 4, hint: 'the record is "r"' }]);
    expect(checkExpr('globalThis')).toEqual([{ code: 'EXPR_FORBIDDEN', message: '"globalThis" is not allowed', offset: 0, length: 10 }]);
    expect(checkExpr('process.exit()')).toEqual([{ code: 'EXPR_FORBIDDEN', message: '"process" is not allowed', offset: 0, length: 7 }]);
    expect(checkExpr('eval("1")')).toEqual([{ code: 'EXPR_FORBIDDEN', message: '"eval" is not allowed', offset: 0, length: 4 }]);
    expect(checkExpr('r.x + this.y')).toMatchObject([{ code: 'EXPR_FORBIDDEN', offset: 6, length: 4 }]);
    expect(checkExpr('delay > 15')).toEqual([
      { code: 'EXPR_FORBIDDEN', message: 'unknown name "delay"', offset: 0, length: 5, hint: 'to read the field "delay" of the record, write r.delay' },
    ]);
    expect(checkExpr('Mth.PI')).toMatchObject([{ code: 'EXPR_FORBIDDEN', message: 'unknown name "Mth"', hint: 'did you mean "Math"?' }]);
    expect(checkExpr('Math.TAU')).toMatchObject([{ code: 'EXPR_FORBIDDEN', message: 'unknown name "Math.TAU"', offset: 0, length: 8 }]);
    expect(checkExpr('Math')).toMatchObject([{ code: 'EXPR_FORBIDDEN', message: '"Math" can only be used with a name after it', offset: 0, length: 4 }]);
    expect(checkExpr('Math.abs')).toMatchObject([{ code: 'EXPR_FORBIDDEN', message: '"Math.abs" can only be called', offset: 0, length: 8 }]);
    expect(checkExpr('r(1)')).toMatchObject([{ code: 'EXPR_FORBIDDEN', message: '"r" is the record, not a function', offset: 0, length: 1 }]);
  });

  it('refuses calls of computed functions', () => {
    expect(checkExpr('(r.a ? Math.max : Math.min)(1, 2)')).toEqual([
      { code: 'EXPR_FORBIDDEN', message: 'only functions and methods named in the expression can be called', offset: 1, length: 25 },
      { code: 'EXPR_FORBIDDEN', message: '"Math.max" can only be called', offset: 7, length: 8, hint: 'write Math.max(...)' },
      { code: 'EXPR_FORBIDDEN', message: '"Math.min" can only be called', offset: 18, length: 8, hint: 'write Math.min(...)' },
    ]);
    expect(checkExpr('[Number][0](1)')).toMatchObject([
      { code: 'EXPR_FORBIDDEN', message: '"Number" can only be called', offset: 1, length: 6 },
      { code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown method "0"', offset: 9, length: 1 },
    ]);
    expect(checkExpr('r.f(1)(2)')).toMatchObject([
      { code: 'EXPR_FORBIDDEN', message: 'only functions and methods named in the expression can be called', offset: 0, length: 6 },
      { code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown method "f"', offset: 2, length: 1 },
    ]);
  });

  it('reports every issue it can, in source order', () => {
    expect(checkExpr('x = evall(r.constructor)').map((i) => [i.code, i.offset, i.length])).toEqual([
      ['EXPR_FORBIDDEN', 0, 1],
      ['EXPR_FORBIDDEN', 2, 1],
      ['EXPR_UNKNOWN_FUNCTION', 4, 5],
      ['EXPR_FORBIDDEN', 12, 11],
    ]);
    expect(checkExpr('r.a ++').map((i) => [i.code, i.message, i.offset, i.length])).toEqual([['EXPR_FORBIDDEN', '"++" is not allowed', 4, 2]]);
  });

  it('never throws', () => {
    for (const source of ['', ' ', ')', '"', '\\', 'r.', 'r[', '{', '?.', '...', '=>', '\u2028', 'r.a?.5:1', '\0']) {
      expect(() => checkExpr(source)).not.toThrow();
      expect(checkExpr(source).length, source).toBeGreaterThan(source === 'r.a?.5:1' ? -1 : 0);
    }
  });
});

describe('checkExpr, when the expression does not parse', () => {
  it('still reports refused names and unknown functions before the syntax error', () => {
    expect(checkExpr('evall(r.constructor) + this.x +').map((i) => [i.code, i.message, i.offset, i.length])).toEqual([
      ['EXPR_UNKNOWN_FUNCTION', 'unknown function "evall"', 0, 5],
      ['EXPR_FORBIDDEN', '"constructor" is not allowed', 8, 11],
      ['EXPR_FORBIDDEN', '"this" is not allowed', 23, 4],
      ['EXPR_SYNTAX', 'unexpected end of expression', 31, 1],
    ]);
    expect(checkExpr('r["__proto__"] = (')).toMatchObject([
      { code: 'EXPR_FORBIDDEN', message: '"__proto__" is not allowed', offset: 2, length: 11 },
      { code: 'EXPR_FORBIDDEN', message: 'assignment is not allowed', offset: 15 },
      { code: 'EXPR_SYNTAX', offset: 18 },
    ]);
  });

  it('does not take keywords, literals, namespaces or allowed functions for unknown functions', () => {
    expect(checkExpr('typeof(r.x) || true || Math.abs(r.y) || Number(r.z) || r.s.slice(1) )')).toEqual([
      expect.objectContaining({ code: 'EXPR_SYNTAX', message: 'unexpected ")"' }),
    ]);
  });

  it('stops scanning where the lexer fails', () => {
    expect(checkExpr('eval(1) + "abc')).toMatchObject([
      { code: 'EXPR_FORBIDDEN', message: '"eval" is not allowed', offset: 0 },
      { code: 'EXPR_SYNTAX', message: 'unterminated string', offset: 10 },
    ]);
  });
});
