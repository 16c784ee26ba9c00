import { describe, expect, it } from 'vitest';
import { exprBindings, exprFunctions, functionSummary, isConstant, isFunction, isMethod, namespaces } from '../../../../steps/kit/expr/functions.js';
import { checkExpr, compileExpr } from '../../../../steps/kit/expr/index.js';

describe('the allowed functions', () => {
  it('lists functions, constants and methods for the docs', () => {
    expect(exprFunctions.functions).toEqual(
      expect.arrayContaining([
        'Number',
        'String',
        'Boolean',
        'parseInt',
        'parseFloat',
        'isNaN',
        'isFinite',
        'Math.abs',
        'Math.floor',
        'Math.atan2',
        'Math.hypot',
        'Number.isInteger',
        'Number.isFinite',
        'Number.isNaN',
        'Date.parse',
        'JSON.stringify',
        'Object.keys',
        'Array.isArray',
      ]),
    );
    expect(exprFunctions.constants).toEqual(expect.arrayContaining(['Math.PI', 'Math.E', 'Number.MAX_SAFE_INTEGER']));
    expect(exprFunctions.methods).toEqual(
      expect.arrayContaining([
        'slice',
        'substring',
        'split',
        'toLowerCase',
        'toUpperCase',
        'trim',
        'trimStart',
        'trimEnd',
        'startsWith',
        'endsWith',
        'includes',
        'indexOf',
        'lastIndexOf',
        'replace',
        'replaceAll',
        'padStart',
        'padEnd',
        'repeat',
        'at',
        'charAt',
        'join',
        'concat',
        'flat',
      ]),
    );
    expect([...namespaces].sort()).toEqual(['Array', 'Date', 'JSON', 'Math', 'Number', 'Object', 'String']);
    expect(Object.isFrozen(exprFunctions) && Object.isFrozen(exprFunctions.methods) && Object.isFrozen(exprBindings)).toBe(true);
  });

  it('leaves out everything impure or mutating', () => {
    for (const name of ['Math.random', 'Date.now', 'Object.assign', 'Object.defineProperty', 'Object.getPrototypeOf', 'Array.from', 'eval', 'Function']) {
      expect(isFunction(name), name).toBe(false);
    }
    for (const name of [
      'sort',
      'reverse',
      'push',
      'pop',
      'shift',
      'unshift',
      'splice',
      'fill',
      'copyWithin',
      'map',
      'filter',
      'reduce',
      'forEach',
      'call',
      'apply',
      'bind',
    ]) {
      expect(isMethod(name), name).toBe(false);
    }
  });

  it('binds every listed name to a function or a number', () => {
    for (const name of exprFunctions.functions) expect(typeof exprBindings[name], name).toBe('function');
    for (const name of exprFunctions.constants) expect(typeof exprBindings[name], name).toBe('number');
    expect(isConstant('Math.PI') && !isConstant('Math.abs')).toBe(true);
  });

  it('makes every function and method callable from an expression', () => {
    for (const name of exprFunctions.functions) expect(checkExpr(`${name}(r.x)`), name).toEqual([]);
    for (const name of exprFunctions.constants) expect(checkExpr(`${name} + 1`), name).toEqual([]);
    for (const name of exprFunctions.methods) expect(checkExpr(`r.x.${name}()`), name).toEqual([]);
  });

  it('refuses callbacks in JSON functions', () => {
    expect(() => compileExpr('JSON.stringify(r, r.x.at)')({ x: [] })).toThrow('JSON.stringify: a function argument is not allowed');
    expect(() => compileExpr('JSON.parse("1", r.x.at)')({ x: [] })).toThrow('JSON.parse: a function argument is not allowed');
    expect(compileExpr('JSON.stringify(r, ["a"], 1)')({ a: 1, b: 2 })).toBe('{\n "a": 1\n}');
  });

  it('summarises the names for hints', () => {
    expect(functionSummary()).toMatch(/^allowed: Number, String, Boolean, parseInt, .*Math\.\*$/);
  });
});
