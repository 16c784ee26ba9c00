import { describe, expect, it } from 'vitest';
import { checkResultExpr, compileResultExpr } from '../../../../engine/execution/checks/result-expr.js';

describe('result expressions', () => {
  it('read the final result as `result`', () => {
    expect(compileResultExpr('result.length >= 2')([1, 2])).toBe(true);
    expect(compileResultExpr('result.SFO.flights > 10 && result.result == 1')({ SFO: { flights: 11 }, result: 1 })).toBe(true);
    expect(compileResultExpr('{ result: result }.result')(7)).toBe(7);
  });

  it('refuse `r`, pointing at it, and locate other issues where they are written', () => {
    expect(checkResultExpr('r.length > 2')).toMatchObject([{ code: 'EXPR_FORBIDDEN', message: 'unknown name "r"', offset: 0, length: 1 }]);
    expect(checkResultExpr('result.length > 2 && evall(result)')).toMatchObject([{ code: 'EXPR_UNKNOWN_FUNCTION', offset: 21 }]);
    expect(checkResultExpr('result.length >')).toMatchObject([{ code: 'EXPR_SYNTAX' }]);
    expect(checkResultExpr('result.length > 1')).toEqual([]);
  });
});
