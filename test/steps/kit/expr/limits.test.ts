// Resource bombs: an expression that would build a string or an array past the limits throws
// EXPR_LIMIT (so the record fails and on-error applies) before V8 has to build it, and a value just
// under the limits is built as JavaScript builds it.
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { compileExpr } from '../../../../steps/kit/expr/index.js';
import { MAX_ELEMENTS, MAX_STRING } from '../../../../steps/kit/expr/limits.js';

const record = { s: 'ab', n: 3, big: 'x'.repeat(MAX_STRING), list: [1, 2], none: null };

function limitOf(source: string, r: unknown = record): FlowError {
  try {
    compileExpr(source)(r);
  } catch (e) {
    expect(e).toBeInstanceOf(FlowError);
    return e as FlowError;
  }
  throw new Error(`${source} did not throw`);
}

describe('limits on what an expression builds', () => {
  it('are 16 Mi characters and 1 Mi elements', () => {
    expect([MAX_STRING, MAX_ELEMENTS]).toEqual([16 * 2 ** 20, 2 ** 20]);
  });

  it.each([
    // The expression of issue 9, which made V8 abort the process (SIGTRAP).
    ["'a'.repeat(500000000).split('').length", 'repeat would build 500000000 characters; an expression may build at most 16777216 characters (16 Mi)'],
    ["'a'.repeat(2 ** 24 + 1)", 'repeat would build 16777217 characters'],
    ['r.s.repeat(1e300)', 'repeat would build 2e+300 characters'],
    ["'x'.padStart(2 ** 25)", 'padStart would build 33554432 characters'],
    ["r.s.padEnd(1e9, 'ab')", 'padEnd would build 1000000000 characters'],
    ["'a'.repeat(2 ** 20 + 1).split('')", 'split would build more than 1048576 elements; an expression may build at most 1048576 elements (1 Mi)'],
    ["'a,'.repeat(2 ** 20).split(',')", 'split would build more than 1048576 elements'],
    ["'a'.repeat(2 ** 20).split('').concat(['b'])", 'concat would build 1048577 elements'],
    ["'x'.concat(r.big)", 'concat would build 16777217 characters'],
    ["['a'.repeat(2 ** 20).split(''), [1]].flat()", 'flat would build more than 1048576 elements'],
    ["[[['a'.repeat(2 ** 20).split(''), [1]]]].flat(Infinity)", 'flat would build more than 1048576 elements'],
    ["[r.big, r.big].join('')", 'join would build more than 16777216 characters'],
    ["'ab'.repeat(2 ** 19).split('').join('-'.repeat(20))", 'join would build more than 16777216 characters'],
    ["'a'.repeat(2 ** 12).replaceAll('a', r.s.repeat(2 ** 12))", 'replaceAll would build more than 16777216 characters'],
    // $' inserts the rest of the string at every match: quadratic.
    ["'a'.repeat(2 ** 13).replaceAll('a', \"$'\")", 'replaceAll would build more than 16777216 characters'],
    ["r.big.replace('x', 'yy')", 'replace would build 16777217 characters'],
    ["'\\ufdfa'.repeat(2 ** 20).normalize('NFKD')", 'normalize would build 18874368 characters'],
    ["r.big + '!'", '+ would build 16777217 characters'],
    ["'a'.repeat(2 ** 23) + 'b'.repeat(2 ** 23) + 'c'", '+ would build 16777217 characters'],
    ['String([r.big, 1])', 'String would build 16777218 characters'],
    ['JSON.stringify([r.big])', 'JSON.stringify would build 16777220 characters'],
    ["encodeURIComponent(' '.repeat(2 ** 23))", 'encodeURIComponent would build 25165824 characters'],
    ['JSON.parse(r.big + 1)', '+ would build 16777217 characters'],
    ["Object.keys('a'.repeat(2 ** 20 + 1))", 'Object.keys would build 1048577 elements'],
    ["Object.entries('a'.repeat(2 ** 21))", 'Object.entries would build 2097152 elements'],
  ])('%s throws EXPR_LIMIT', (source, message) => {
    const err = limitOf(source);
    expect(err.code).toBe('EXPR_LIMIT');
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain(message);
    expect(err.hint).toBe('an expression works on one record; a value this large is most likely a mistake');
  });

  it.each([
    ["'a'.repeat(2 ** 24).length", 2 ** 24],
    ["'x'.padStart(2 ** 24).length", 2 ** 24],
    ["'a'.repeat(2 ** 20).split('').length", 2 ** 20],
    ["'a'.repeat(2 ** 21).split('', 5).length", 5],
    ["'a'.repeat(2 ** 20 - 1).split('').concat(['b']).length", 2 ** 20],
    ["'ab'.repeat(2 ** 19).split('').join('-').length", 2 ** 21 - 1],
    ["[['a'.repeat(2 ** 19).split(''), 'a'.repeat(2 ** 19).split('')]].flat(2).length", 2 ** 20],
    ['r.big.length + r.big.slice(1).length', 2 ** 25 - 1],
    ["(r.big.slice(1) + 'y').length", 2 ** 24],
    ["r.big.replaceAll('y', 'zz').length", 2 ** 24],
    ['r.big.toUpperCase().length', 2 ** 24],
    // A padding of nothing adds nothing, whatever the length asked.
    ["'ab'.padEnd(1e9, '')", 'ab'],
  ])('%s is built as JavaScript builds it', (source, value) => {
    expect(compileExpr(source)(record)).toEqual(value);
  });

  it('refuses to parse a text past the limit, as it could hold half as many elements', () => {
    const err = limitOf('JSON.parse(r.text)', { text: `[${'1,'.repeat(2 ** 23)}1]` });
    expect([err.code, err.message]).toEqual([
      'EXPR_LIMIT',
      'JSON.parse would read 16777219 characters; an expression may read at most 16777216 characters (16 Mi)',
    ]);
  });

  it('keeps optional chains short-circuiting through a checked call', () => {
    const f = compileExpr("r.o?.s.repeat(2).split('').length");
    expect(f({ o: null })).toBeUndefined();
    expect(f({ o: { s: 'ab' } })).toBe(4);
    expect(() => f({ o: {} })).toThrow(new TypeError("Cannot read properties of undefined (reading 'repeat')"));
    expect(compileExpr('r.o?.s?.padStart(4, "-")?.length')({ o: { s: null } })).toBeUndefined();
    expect(compileExpr('(r.o?.s).padStart(4)')({ o: { s: 'a' } })).toBe('   a');
    expect(() => compileExpr('(r.o?.s).padStart(4)')({ o: null })).toThrow(TypeError);
  });

  it('calls a checked method on anything else as JavaScript would', () => {
    expect(() => compileExpr('r.n.repeat(2)')(record)).toThrow(new TypeError('repeat is not a function of number'));
    expect(() => compileExpr('r.none.split(",")')(record)).toThrow(new TypeError("Cannot read properties of null (reading 'split')"));
    expect(compileExpr('r.list.concat(3, [4])')(record)).toEqual([1, 2, 3, 4]);
    expect(compileExpr('r.s.concat(1, [2, 3])')(record)).toBe('ab12,3');
    expect(compileExpr('r.list.join()')(record)).toBe('1,2');
    expect(compileExpr('r.s.split()')(record)).toEqual(['ab']);
    expect(compileExpr('r.s.split("", 0)')(record)).toEqual([]);
    expect(compileExpr('r.s.replaceAll("", "-")')(record)).toBe('-a-b-');
    expect(compileExpr('r.s.replace("a", "[$&$\'$`]")')(record)).toBe('[ab]b');
    expect(compileExpr('[1, [2, [3, [4]]]].flat(2)')(record)).toEqual([1, 2, 3, [4]]);
    expect(compileExpr('[1, [2, [3]]].flat(-1)')(record)).toEqual([1, [2, [3]]]);
  });

  it('leaves numeric additions plain: no check on what is surely a number', () => {
    expect(compileExpr('r.n * 2 + 1').toString()).toBe('function (r) { return ((r.n * 2) + 1); }');
    expect(compileExpr('r.n + 1').toString()).toBe('function (r) { return $add(r.n, 1); }');
    expect(compileExpr('r.n + 1')(record)).toBe(4);
    expect(compileExpr('r.s + 1')(record)).toBe('ab1');
  });
});
