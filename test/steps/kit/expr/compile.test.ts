import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { compileExpr, ExprError, exprSource } from '../../../../steps/kit/expr/index.js';

const flight = { delay: 20, origin: 'LAX', time: '2024-03-01T13:45:00Z', 'a b': 7, tags: ['x', 'y'], nested: { a: { b: 3 } }, n: null };

const cases: [string, unknown, unknown][] = [
  ["r.delay >= 15 && r.origin != 'SEA'", flight, true],
  ["r.delay >= 30 || r.origin == 'SEA'", flight, false],
  ['r * r', 12, 144],
  ['Number(r.time.slice(11, 13))', flight, 13],
  ['r["a b"] + r.nested.a.b', flight, 10],
  ['r.tags[1] + r.tags.length', flight, 'y2'],
  ['r.tags.at(-1)', flight, 'y'],
  ['r.missing?.deep ?? "none"', flight, 'none'],
  ['r.n?.x', flight, undefined],
  ['r.nested?.a?.["b"]', flight, 3],
  ['r.delay % 7 + 2 ** 3 ** 2 - -1', flight, 6 + 512 + 1],
  ['(1 + 2) * 3 / 4', null, 2.25],
  ['+r.s + 1', { s: '41' }, 42],
  ['!r.flag', { flag: 0 }, true],
  ['r.delay > 10 ? "late" : "on time"', flight, 'late'],
  ['r.a ? r.b ? 1 : 2 : 3', { a: true, b: false }, 2],
  ['{origin: r.origin, "x y": [r.delay, null, true], 3: false}', flight, { origin: 'LAX', 'x y': [20, null, true], 3: false }],
  ['[1, "two", r.delay,]', flight, [1, 'two', 20]],
  ['Math.max(r.delay, 30) + Math.floor(2.7) + Math.round(Math.PI)', flight, 35],
  ['Math.hypot(3, 4) + Math.sqrt(16) + Math.pow(2, 10) + Math.sign(-3)', null, 5 + 4 + 1024 - 1],
  ['Number.isInteger(r) && Number.isFinite(r) && !Number.isNaN(r)', 3, true],
  ['isNaN(parseInt("x")) && isFinite(parseFloat("1.5e2"))', null, true],
  ['String(r) + Boolean(r) + Number("12")', 0, '0false12'],
  ['Date.parse(r.time)', flight, Date.UTC(2024, 2, 1, 13, 45)],
  ['JSON.stringify({a: [1, "b"], c: r.n})', flight, '{"a":[1,"b"],"c":null}'],
  ['JSON.parse(r).x', '{"x": 2}', 2],
  ['Object.keys(r.nested.a).concat(Object.values(r.nested.a)).join(",")', flight, 'b,3'],
  ['Object.entries(r)[0][1]', { k: 'v' }, 'v'],
  ['Object.fromEntries([["__proto__", 1]]).x', null, undefined],
  ['Array.isArray(r.tags) && !Array.isArray(r.origin)', flight, true],
  ['r.origin.toLowerCase().padStart(5, "*") + r.origin.at(0) + r.origin.charAt(1)', flight, '**laxLA'],
  ['" a b ".trim().split(" ").reverse', null, Array.prototype.reverse],
  ['"a-b-c".replaceAll("-", "+").replace("+", "=").repeat(2)', null, 'a=b+ca=b+c'],
  ['"abc".includes("b") && "abc".startsWith("a") && "abc".endsWith("c") && "abc".indexOf("c") === 2', null, true],
  ['[3, 1, 2].toSorted().join("") + [1, 2].toReversed().join("") + [[1], [2]].flat().length', null, '123212'],
  ['r.tags.includes("x") && r.tags.indexOf("y") === 1 && r.tags.slice(1).length === 1', flight, true],
  ['(1.005).toFixed(2) + (1234.5).toPrecision(2) + (255).toString(16)', null, '1.001.2e+3ff'],
  ['1..toFixed(1)', null, '1.0'],
  ['typeof r.delay + typeof r.nope', flight, 'numberundefined'],
  ['r.x === undefined && r.y !== null && NaN !== NaN && Infinity > 1e308', { y: 1 }, true],
  ['0x10 + 0b11 + 0o7 + .5 + 5. + 1e1', null, 16 + 3 + 7 + 0.5 + 5 + 10],
  ['"\\u{1F600}".length + "\\x41".length', null, 3],
  ['r.list[r.i]', { list: ['a', 'b'], i: 1 }, 'b'],
  ['r[r.k]', { k: 'v', v: 9 }, 9],
  ['r.a == "1" && r.a != 2', { a: 1 }, true],
  ['r.a === "1"', { a: 1 }, false],
  ['(r.a ?? 1) || 2', { a: 0 }, 2],
  ['r.a ?? (1 || 2)', { a: 0 }, 0],
  ['(-2) ** 2 + -(2 ** 2)', null, 0],
  ['Math.min()', null, Infinity],
  ['Math?.PI + Math?.abs(-1) + (Math).E', null, Math.PI + 1 + Math.E],
  ['encodeURIComponent("a b") + decodeURIComponent("%41")', null, 'a%20bA'],
];

describe('compileExpr', () => {
  it.each(cases)('%s', (source, record, expected) => {
    expect(compileExpr(source)(record)).toEqual(expected);
  });

  it('compiles to plain JavaScript, with nothing around a simple comparison', () => {
    expect(exprSource('r.delay >= 15')).toBe('(r.delay >= 15)');
    expect(compileExpr('r.delay >= 15').toString()).toBe('function (r) { return (r.delay >= 15); }');
    expect(exprSource("r['a b'] + r[0] + r['x']")).toBe('$add($add(r["a b"], r[0]), r.x)');
    expect(exprSource('r.a * 2 + 1 + Math.PI')).toBe('(((r.a * 2) + 1) + $Math_PI)');
    expect(exprSource('Math.abs(r.x) + Math.PI')).toBe('($Math_abs(r.x) + $Math_PI)');
    expect(exprSource('r.a?.b?.[0]')).toBe('r.a?.b?.[0]');
    expect(exprSource('r.list[r.i]')).toBe('r.list[$key(r.i)]');
    expect(exprSource('"</script>\\u2028"')).toBe(JSON.stringify('</script>\u2028'));
  });

  it('throws a FlowError with the first issue, carrying all issues', () => {
    const error = (() => {
      try {
        compileExpr('evall(r.constructor)');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(FlowError);
    expect(error).toBeInstanceOf(ExprError);
    expect(error).toMatchObject({ code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown function "evall"', exitCode: 2 });
    expect((error as ExprError).issues.map((i) => i.offset)).toEqual([0, 8]);
    expect(() => compileExpr('r.delay >')).toThrow(expect.objectContaining({ code: 'EXPR_SYNTAX', hint: 'expected a value after ">"' }));
    expect(() => compileExpr('this')).toThrow(expect.objectContaining({ code: 'EXPR_FORBIDDEN' }));
  });

  it('guards computed keys at run time', () => {
    const fn = compileExpr('r.o[r.k]');
    for (const k of ['__proto__', 'constructor', 'prototype', '__defineGetter__', ['constructor']]) {
      expect(() => fn({ o: {}, k })).toThrow(TypeError);
    }
    expect(() => compileExpr('r.o["__pro" + "to__"]')({ o: {} })).toThrow('property "__proto__" is not allowed in expressions');
    expect(compileExpr('r.o[{a: 1}]')({ o: { '[object Object]': 1 } })).toBe(1);
    expect(fn({ o: { a: 1 }, k: 'a' })).toBe(1);
    expect(fn({ o: [5, 6], k: 1 })).toBe(6);
  });

  it('lets run-time errors be ordinary JavaScript errors', () => {
    expect(() => compileExpr('r.x.slice(1)')({ x: 5 })).toThrow(TypeError);
    expect(() => compileExpr('r.a.b')({})).toThrow(TypeError);
    expect(() => compileExpr('JSON.parse(r)')('{')).toThrow(SyntaxError);
  });

  it('binds functions when compiling, never from globalThis at run time', () => {
    const original = globalThis.parseInt;
    const fn = compileExpr('parseInt(r) + Math.abs(-1)');
    try {
      globalThis.parseInt = (() => 666) as typeof parseInt;
      expect(fn('41')).toBe(42);
      expect(compileExpr('parseInt(r)')('41')).toBe(41);
    } finally {
      globalThis.parseInt = original;
    }
  });

  it('gives each compiled expression its own closure', () => {
    const a = compileExpr('r + 1');
    const b = compileExpr('r + 2');
    expect([a(1), b(1)]).toEqual([2, 3]);
  });
});
