// The language is a subset of JavaScript, so an expression the checker accepts must parse and
// evaluate exactly as JavaScript does; and what JavaScript cannot parse, the checker must refuse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkExpr, compileExpr } from '../../../../steps/kit/expr/index.js';

const records = [
  { a: 1, s: 'abc', list: [1, 'x', null], o: { a: 2, s: 'q' } },
  { a: 0, s: '', list: [], o: null },
  { a: -2.5, s: '10', list: [[1, 2], 3], o: { a: { a: 1 } } },
];

// Optional chaining everywhere and methods on strings only, so that most expressions evaluate
// rather than throw (two thrown errors compare equal and would hide a difference).
const OPERATORS = ['+', '-', '*', '/', '%', '**', '==', '!=', '===', '!==', '<', '<=', '>', '>=', '&&', '||', '??'] as const;
const operator = fc.constantFrom(...OPERATORS);
const { expr } = fc.letrec<{ expr: string; atom: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    tie('atom'),
    fc.tuple(tie('expr'), operator, tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    // Flat chains of operators, where precedence and associativity decide everything.
    fc
      .tuple(tie('atom'), fc.array(fc.tuple(operator, fc.constantFrom('', '-', '!', 'typeof '), tie('atom')), { minLength: 2, maxLength: 5 }))
      .map(([first, rest]) => first + rest.map(([op, unary, a]) => ` ${op} ${unary}${a}`).join('')),
    fc
      .tuple(tie('atom'), operator, tie('atom'), tie('atom'), operator, tie('atom'))
      .map(([a, op, b, c, op2, d]) => `${a} ${op} ${b} ? ${c} : ${d} ${op2} ${a} ? ${b} : ${c}`),
    fc.tuple(fc.constantFrom('-', '+', '!', 'typeof '), tie('expr')).map(([op, a]) => `${op}${a}`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
    fc.tuple(tie('expr'), fc.constantFrom('?.a', '?.s', '?.[0]', '?.[1]', '?.length', '?.["a"]', '?.o')).map(([a, m]) => `${a}${m}`),
    fc.tuple(tie('expr'), fc.constantFrom('.slice(1)', '.at(0)', '.includes("1")', '.concat("!")', '.length')).map(([a, m]) => `String(${a})${m}`),
    // The methods compiled through the size limits (limits.ts), in and after optional chains.
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom(
          '.repeat(2)',
          '.padStart(4, "-")',
          '.padEnd(3)',
          '.split("")',
          '.split("", 1)',
          '.replaceAll("1", "$&$\'")',
          '.replace("x", "$`")',
          '.normalize()',
        ),
      )
      .map(([a, m]) => `String(${a})${m}`),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('?.s?.repeat(2)', '?.s.split("").length', '?.list?.concat([1], 2).length', '?.list?.flat()?.join("-")', '?.o?.s.padEnd(2, "ab")'),
      )
      .map(([a, m]) => `${a}${m}`),
    fc
      .tuple(fc.constantFrom('Math.abs', 'Math.max', 'String', 'Number', 'Boolean', 'JSON.stringify', 'Math?.floor'), tie('expr'))
      .map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `{a: ${a}, "b c": ${b}}`),
    tie('expr').map((e) => `(${e})`),
  ),
  atom: fc.constantFrom(
    'r',
    'r.a',
    'r.s',
    'r.list',
    'r.o',
    '1',
    '0',
    '2.5',
    '.5',
    '"x"',
    "'ab'",
    'true',
    'false',
    'null',
    'undefined',
    'NaN',
    'Math.PI',
    'r["a"]',
  ),
}));

type Outcome = { value: unknown } | { error: string };

function run(fn: (r: unknown) => unknown, r: unknown): Outcome {
  try {
    return { value: fn(r) };
  } catch (e) {
    return { error: (e as Error).constructor.name };
  }
}

describe('the expression language is JavaScript', () => {
  it('evaluates accepted expressions exactly as JavaScript does, and refuses what JavaScript cannot parse', () => {
    let compared = 0;
    let threw = 0;
    fc.assert(
      fc.property(expr, (source) => {
        let native: ((r: unknown) => unknown) | undefined;
        try {
          native = new Function('r', `"use strict"; return (${source}\n);`) as (r: unknown) => unknown;
        } catch {
          native = undefined;
        }
        const issues = checkExpr(source);
        if (native === undefined) {
          expect(issues, source).not.toEqual([]);
          return;
        }
        if (issues.length > 0) return; // a valid JavaScript expression outside the subset
        const compiled = compileExpr(source);
        for (const r of records) {
          const outcome = run(native, r);
          if ('error' in outcome) threw++;
          expect(run(compiled, r), source).toEqual(outcome);
        }
        compared++;
      }),
      { numRuns: 3000 },
    );
    expect(compared).toBeGreaterThan(1000);
    expect(threw).toBeLessThan(compared);
  });
});
