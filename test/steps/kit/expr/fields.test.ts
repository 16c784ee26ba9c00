import { describe, expect, it } from 'vitest';
import { exprFields } from '../../../../steps/kit/expr/index.js';

describe('exprFields', () => {
  it.each([
    ["r.delay > 1 && r['origin'] == 'x'", ['delay', 'origin']],
    ['r.a.b.c + r.a.d', ['a']],
    ['r["a b"] ?? r?.c ?? r?.["d"]', ['a b', 'c', 'd']],
    ['r.list[r.i]', ['list', 'i']],
    ['r[0] + r[1]', ['0', '1']],
    ['(r).x', ['x']],
    ['Math.abs(r.x) + Object.keys(r.o).length', ['x', 'o']],
    ['r.s.slice(0, r.n).length', ['s', 'n']],
    ['{a: r.a, b: [r.b]}', ['a', 'b']],
    ['r.t ? r.u : -r.v', ['t', 'u', 'v']],
    ['r.constructor', ['constructor']],
    ['1 + 2', []],
  ])('%s reads %j', (source, fields) => {
    expect(exprFields(source)).toEqual(fields);
  });

  it.each([
    'r',
    'r * r',
    'r[r.k]',
    'r["a" + "b"]',
    'String(r)',
    'Object.keys(r)',
    'JSON.stringify(r)',
    '[r.a, r]',
    'r.a ?? r',
    "r.split(' ')", // a method of the record itself (a string record)
    '(r).toLowerCase()',
    'r.delay >', // does not parse: all fields, to be safe
  ])('%s reads the whole record', (source) => {
    expect(exprFields(source)).toBeUndefined();
  });
});
