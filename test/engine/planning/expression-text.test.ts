import { describe, expect, it } from 'vitest';
import { expressionInsert, quotesAround } from '../../../engine/planning/expression-text.js';
import { compileExpr } from '../../../steps/kit/expr/index.js';

const spans = (text: string) => [...text.matchAll(/\$\{\{[^}]*\}\}/g)].map((m) => ({ offset: m.index, length: m[0].length }));

describe('quotesAround', () => {
  it('tells which placeholders sit inside a quoted string of the expression', () => {
    const text = `r.a == \${{ x }} && r.b == '\${{ y }}' && r.c == "it's \${{ z }}" && 'a\\'b' == \${{ w }}`;
    expect(quotesAround(text, spans(text))).toEqual([undefined, "'", '"', undefined]);
  });
});

describe('expressionInsert', () => {
  it('is a literal outside quotes and escaped text inside them: the value stays one value', () => {
    for (const value of ["O'Brien", 'a"b', 'back\\slash', 'line\nbreak', "' || true || '", 42, null, true]) {
      for (const quote of [undefined, "'", '"'] as const) {
        const inserted = expressionInsert(value, true, quote);
        const source = quote === undefined ? inserted : `${quote}${inserted}${quote}`;
        const expected = quote === undefined ? value : String(value);
        expect(compileExpr(source)(null), `${JSON.stringify(value)} in ${quote ?? 'no quotes'}`).toEqual(expected);
      }
    }
  });

  it('gives a stand-in for an unknown value: null, or nothing inside quotes', () => {
    expect(expressionInsert(undefined, false, undefined)).toBe('null');
    expect(expressionInsert(undefined, false, "'")).toBe('');
  });
});
