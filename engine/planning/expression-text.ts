// What a placeholder becomes inside an expression string: a literal of its value, or, when the
// expression has it inside a quoted string ('${{ params.season }}'), its text escaped for that
// quote. Either way no value can end a string or add an operator: it stays one value.
import { exprLiteral } from '../../steps/kit/expr/index.js';

/** For each span (placeholders, in order), the quote of the expression string it sits in, if any. */
export function quotesAround(text: string, spans: readonly { offset: number; length: number }[]): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let quote: string | undefined;
  let next = 0;
  for (let i = 0; i < text.length; i++) {
    const span = spans[next];
    if (span && i === span.offset) {
      out.push(quote);
      next++;
      i += span.length - 1;
      continue;
    }
    const ch = text[i]!;
    if (quote !== undefined && ch === '\\') i++;
    else if (quote !== undefined && ch === quote) quote = undefined;
    else if (quote === undefined && (ch === '"' || ch === "'")) quote = ch;
  }
  while (out.length < spans.length) out.push(quote);
  return out;
}

/** The expression text for a placeholder's value; `known: false` (offline, an unset env variable) gives a stand-in. */
export function expressionInsert(value: unknown, known: boolean, quote: string | undefined): string {
  if (quote === undefined) return known ? exprLiteral(value) : 'null';
  if (!known) return '';
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  const escaped = JSON.stringify(text).slice(1, -1);
  return quote === "'" ? escaped.replace(/'/g, "\\'") : escaped;
}
