// When an expression does not parse there is no tree to check, but its names can still be judged
// one token at a time, so that a user sees every refused name together with the syntax error.
import { isFunction, namespaces } from './functions.js';
import { LITERAL_NAMES, STOP_KEYWORDS } from './grammar.js';
import type { ExprIssue } from './issue.js';
import { FORBIDDEN_PROPERTIES, forbiddenName, isForbiddenName, unknownFunction } from './names.js';
import { Lexer, type Token } from './tokenize.js';

const OPERATOR_NAMES = new Set(['typeof', 'void', 'delete', 'in', 'instanceof', ...Object.keys(LITERAL_NAMES), ...STOP_KEYWORDS]);

/** Adds the issues of the names that start before `until` (where parsing stopped). */
export function scanNames(source: string, until: number, issues: ExprIssue[]): void {
  const lexer = new Lexer(source);
  let before: Token | undefined;
  try {
    for (let token = lexer.next(); token.type !== 'eof' && token.start < until; before = token, token = lexer.next()) {
      if (token.type === 'str' && before?.text === '[' && FORBIDDEN_PROPERTIES.has(token.value as string)) {
        issues.push(forbiddenName(token.value as string, token.start, token.end - token.start));
      }
      if (token.type !== 'name') continue;
      const name = token.text;
      const afterDot = before?.type === 'punct' && (before.text === '.' || before.text === '?.');
      if (afterDot || name === 'r' || namespaces.has(name) || OPERATOR_NAMES.has(name)) {
        if (afterDot && FORBIDDEN_PROPERTIES.has(name)) issues.push(forbiddenName(name, token.start));
        continue;
      }
      const next = lexer.peek();
      if (isForbiddenName(name)) issues.push(forbiddenName(name, token.start));
      else if (next.type === 'punct' && next.text === '(' && !isFunction(name)) issues.push(unknownFunction(name, token.start, name.length));
    }
  } catch {
    // The lexer's own error is the one already reported.
  }
}
