// Which expressions of a number give a number, checked against what the compiled expression gives.
import { describe, expect, it } from 'vitest';
import { compileExpr, exprYieldsNumber } from '../../../../steps/kit/expr/index.js';

const numeric = [
  'r * r',
  'r',
  '-r',
  '+r',
  '3',
  'NaN',
  'Infinity',
  'r / 0',
  'r % 7',
  'r ** 0.5',
  '(r + 1) * 2',
  'r + 1',
  'r > 3 ? r : 0',
  'Math.sqrt(r)',
  'Math.max(r, 10)',
  'Math.PI * r',
  'Number.MAX_SAFE_INTEGER - r',
  'Number(r)',
  'parseInt("12")',
  'r || 1',
  'r ?? 0',
  'r && 2',
  '-"x"',
  'r.length * 2',
  'Date.UTC(2020, 0, 1) + r',
];
const other = [
  'r > 3',
  'String(r)',
  'r + "x"',
  '[r]',
  '({ n: r })',
  'r.x',
  'typeof r',
  '!r',
  'r > 3 ? r : "no"',
  'r.toFixed(2)',
  'null',
  'undefined',
  'r > 1 && "yes"',
  'Number.isInteger(r)',
];
const samples = [0, -0, 1, -1, 2.5, 1e300, -1e-300, Number.MAX_SAFE_INTEGER, NaN, Infinity];

describe('exprYieldsNumber', () => {
  it.each(numeric)('%s gives a number for every number', (expr) => {
    expect(exprYieldsNumber(expr)).toBe(true);
    const fn = compileExpr(expr);
    for (const r of samples) expect(typeof fn(r)).toBe('number');
  });

  it.each(other)('%s may give something else', (expr) => {
    expect(exprYieldsNumber(expr)).toBe(false);
    const fn = compileExpr(expr);
    expect(samples.some((r) => typeof fn(r) !== 'number')).toBe(true);
  });

  it('is false for an expression that does not parse', () => {
    expect(exprYieldsNumber('r *')).toBe(false);
  });
});
