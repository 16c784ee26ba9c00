import { describe, expect, it } from 'vitest';
import type { Node } from '../../../../steps/kit/expr/ast.js';
import { MAX_DEPTH, parse } from '../../../../steps/kit/expr/parse.js';

/** A compact, fully parenthesised rendering of a tree, to assert shapes. */
function show(node: Node): string {
  switch (node.type) {
    case 'literal':
      return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
    case 'identifier':
      return node.name;
    case 'group':
      return `(${show(node.expression)})`;
    case 'array':
      return `[${node.elements.map(show).join(' ')}]`;
    case 'object':
      return `{${node.properties.map((p) => `${p.key}:${show(p.value)}`).join(' ')}}`;
    case 'member':
      return `${show(node.object)}${node.optional ? '?' : ''}${node.computed ? `[${show(node.computed)}]` : `.${node.name}`}`;
    case 'call':
      return `${show(node.callee)}(${node.args.map(show).join(' ')})`;
    case 'unary':
      return `<${node.operator} ${show(node.argument)}>`;
    case 'binary':
      return `<${show(node.left)} ${node.operator} ${show(node.right)}>`;
    case 'conditional':
      return `<${show(node.test)} ? ${show(node.consequent)} : ${show(node.alternate)}>`;
  }
}

function tree(source: string): string {
  const { ast, issues } = parse(source);
  expect(issues).toEqual([]);
  return show(ast!);
}

describe('parse', () => {
  it('follows JavaScript precedence and associativity', () => {
    expect(tree('1 + 2 * 3')).toBe('<1 + <2 * 3>>');
    expect(tree('1 - 2 - 3')).toBe('<<1 - 2> - 3>');
    expect(tree('2 ** 3 ** 2')).toBe('<2 ** <3 ** 2>>');
    expect(tree('a || b && c')).toBe('<a || <b && c>>');
    expect(tree('a == b < c')).toBe('<a == <b < c>>');
    expect(tree('!a && -b')).toBe('<<! a> && <- b>>');
    expect(tree('a ? b : c ? d : e')).toBe('<a ? b : <c ? d : e>>');
    expect(tree('a ?? b ?? c')).toBe('<<a ?? b> ?? c>');
    expect(tree('(a ?? b) || c')).toBe('<(<a ?? b>) || c>');
    expect(tree('2 ** -1')).toBe('<2 ** <- 1>>');
    expect(tree('typeof r.x == "number"')).toBe('<<typeof r.x> == "number">');
  });

  it('reads members, indexes, optional chains and calls', () => {
    expect(tree('r.a.b')).toBe('r.a.b');
    expect(tree('r["a b"][0]')).toBe('r["a b"][0]');
    expect(tree('r.a?.b?.[0]')).toBe('r.a?.b?[0]');
    expect(tree('(r.a?.b).c')).toBe('(r.a?.b).c');
    expect(tree('Math.max(1, r.x,)')).toBe('Math.max(1 r.x)');
    expect(tree('r.s.slice(0, 2).toUpperCase()')).toBe('r.s.slice(0 2).toUpperCase()');
    expect(tree('r.class + r.new + r.in')).toBe('<<r.class + r.new> + r.in>');
  });

  it('knows static keys of computed members', () => {
    const { ast } = parse('r["a b"]');
    expect(ast).toMatchObject({ type: 'member', name: 'a b', keyStart: 2, keyEnd: 7 });
    expect(parse('r[1]').ast).toMatchObject({ name: '1' });
    expect(parse('r[r.k]').ast).not.toHaveProperty('name');
  });

  it('reads literals', () => {
    expect(tree('[1, "two", true, null, undefined, NaN, Infinity,]')).toBe('[1 "two" true null undefined NaN Infinity]');
    expect(tree('{a: 1, "b c": r.x, 3: [], if: 1,}')).toBe('{a:1 b c:r.x 3:[] if:1}');
    expect(tree('{}')).toBe('{}');
    expect(tree('1..toFixed(1)')).toBe('1.toFixed(1)');
  });

  it('keeps spans', () => {
    expect(parse('  r.a  +  1 ').ast).toMatchObject({ start: 2, end: 11, operatorStart: 7, left: { start: 2, end: 5 } });
  });

  const syntax = (source: string) => parse(source).issues;

  it('reports the first syntax error with its place', () => {
    expect(syntax('r.delay >')).toEqual([
      { code: 'EXPR_SYNTAX', message: 'unexpected end of expression', offset: 9, length: 1, hint: 'expected a value after ">"' },
    ]);
    expect(syntax('')).toEqual([{ code: 'EXPR_SYNTAX', message: 'unexpected end of expression', offset: 0, length: 1, hint: 'the expression is empty' }]);
    expect(syntax('r.a)')).toEqual([
      { code: 'EXPR_SYNTAX', message: 'unexpected ")"', offset: 3, length: 1, hint: 'expected an operator or the end of the expression' },
    ]);
    expect(syntax('(r.a')).toEqual([{ code: 'EXPR_SYNTAX', message: 'unexpected end of expression', offset: 4, length: 1, hint: 'missing ")"' }]);
    expect(syntax('f(1 2)')).toEqual([{ code: 'EXPR_SYNTAX', message: 'unexpected "2"', offset: 4, length: 1, hint: 'expected ")"' }]);
    expect(syntax('r.')).toMatchObject([{ code: 'EXPR_SYNTAX', offset: 2, hint: 'expected a property name after "."' }]);
    expect(syntax('a ? b')).toMatchObject([{ code: 'EXPR_SYNTAX', offset: 5, hint: 'missing ":"' }]);
    expect(syntax('{a}')).toMatchObject([{ code: 'EXPR_SYNTAX', message: 'unexpected "}"', offset: 2 }]);
    expect(syntax('[1,,2]')).toMatchObject([{ code: 'EXPR_SYNTAX', message: 'unexpected ","', offset: 3 }]);
    expect(syntax('r.a; r.b')).toMatchObject([{ code: 'EXPR_SYNTAX', message: 'unexpected ";"', offset: 3 }]);
  });

  it('refuses what JavaScript refuses without parentheses', () => {
    expect(syntax('-2 ** 2')).toEqual([
      { code: 'EXPR_SYNTAX', message: 'a unary operator before "**" needs parentheses', offset: 3, length: 2, hint: 'write (-x) ** y or -(x ** y)' },
    ]);
    expect(syntax('a ?? b || c')).toMatchObject([{ code: 'EXPR_SYNTAX', offset: 7, length: 2 }]);
    expect(syntax('a ?? b && c')).toMatchObject([{ code: 'EXPR_SYNTAX', offset: 2, length: 2 }]);
    expect(syntax('a && b ?? c')).toMatchObject([{ code: 'EXPR_SYNTAX', offset: 7, length: 2 }]);
    expect(syntax('(-2) ** 2')).toEqual([]);
  });

  it('records forbidden operators and goes on', () => {
    const codes = (source: string) => parse(source).issues.map((i) => [i.code, i.message, i.offset, i.length]);
    expect(codes('x = 1')).toEqual([['EXPR_FORBIDDEN', 'assignment is not allowed', 2, 1]]);
    expect(codes('r.a += 1, r.b')).toEqual([
      ['EXPR_FORBIDDEN', 'assignment is not allowed', 4, 2],
      ['EXPR_FORBIDDEN', 'the comma operator is not allowed', 8, 1],
    ]);
    expect(codes('r.a ++')).toEqual([['EXPR_FORBIDDEN', '"++" is not allowed', 4, 2]]);
    expect(codes('--r.a')).toEqual([['EXPR_FORBIDDEN', '"--" is not allowed', 0, 2]]);
    expect(codes('r.a & 1 | ~r.b')).toEqual([
      ['EXPR_FORBIDDEN', 'the bitwise operator "&" is not allowed', 4, 1],
      ['EXPR_FORBIDDEN', 'the bitwise operator "|" is not allowed', 8, 1],
      ['EXPR_FORBIDDEN', 'the bitwise operator "~" is not allowed', 10, 1],
    ]);
    expect(codes('"a" in r')).toEqual([['EXPR_FORBIDDEN', '"in" is not allowed', 4, 2]]);
    expect(codes('delete r.a')).toEqual([['EXPR_FORBIDDEN', '"delete" is not allowed', 0, 6]]);
  });

  it('stops at constructs that define code', () => {
    const first = (source: string) => parse(source).issues.at(-1);
    expect(first('(function(){})')).toEqual({
      code: 'EXPR_FORBIDDEN',
      message: '"function" is not allowed',
      offset: 1,
      length: 8,
      hint: 'expressions cannot define functions',
    });
    expect(first('x => x * 2')).toMatchObject({ code: 'EXPR_FORBIDDEN', message: 'arrow functions are not allowed', offset: 2, length: 2 });
    expect(first('new Date()')).toMatchObject({ code: 'EXPR_FORBIDDEN', message: '"new" is not allowed', offset: 0, length: 3 });
    expect(first('/a+/.test(r.x)')).toMatchObject({ code: 'EXPR_FORBIDDEN', message: 'regular expressions are not allowed', offset: 0 });
    expect(first('[...r.list]')).toMatchObject({ code: 'EXPR_FORBIDDEN', message: 'spread ("...") is not allowed', offset: 1, length: 3 });
    expect(first('r.f?.(1)')).toMatchObject({ code: 'EXPR_FORBIDDEN', offset: 3, length: 3 });
    expect(first('import("fs")')).toMatchObject({ code: 'EXPR_FORBIDDEN', message: '"import" is not allowed', offset: 0, length: 6 });
    expect(first('return r')).toMatchObject({ code: 'EXPR_FORBIDDEN', hint: 'write the expression alone, without "return"' });
  });

  it('refuses trees nested too deeply instead of overflowing the stack', () => {
    const deep = ['('.repeat(5000) + '1' + ')'.repeat(5000), 'r' + '.a'.repeat(50_000), '1' + ' + 1'.repeat(50_000), '!'.repeat(50_000) + 'r'];
    for (const source of deep) {
      expect(parse(source).issues.at(-1)).toMatchObject({ code: 'EXPR_SYNTAX', message: `the expression nests more than ${MAX_DEPTH} levels deep` });
    }
    expect(parse('r.x' + ' || r.x'.repeat(150)).issues).toEqual([]);
  });
});

describe('parse, with names that are properties of Object.prototype', () => {
  it('finds no inherited operator or keyword', () => {
    expect(parse('r.a constructor r.b').issues).toMatchObject([{ code: 'EXPR_SYNTAX', message: 'unexpected "constructor"', offset: 4 }]);
    expect(parse('r.a toString').issues).toMatchObject([{ code: 'EXPR_SYNTAX', message: 'unexpected "toString"' }]);
    expect(parse('hasOwnProperty').issues).toEqual([]);
  });
});
