// A `result:` check is an expression over the final result, named `result`. The expression language
// knows one variable, the record `r`: the name `result` is rewritten to `r` padded to the same
// length, so every offset (and so every located error) stays where the user wrote it.
import { checkExpr, compileExpr, type ExprIssue, type ExprParams } from '../../../steps/kit/expr/index.js';
import { Lexer, type Token } from '../../../steps/kit/expr/tokenize.js';

const NAME = 'result';

/** The expression with `result` as `r`, and the uses of `r` itself (not a name here). */
function rewrite(source: string): { source: string; issues: ExprIssue[] } {
  const tokens: Token[] = [];
  try {
    const lexer = new Lexer(source);
    for (let t = lexer.next(); t.type !== 'eof'; t = lexer.next()) tokens.push(t);
  } catch {
    return { source, issues: [] }; // checkExpr reports the syntax error
  }
  let out = source;
  const issues: ExprIssue[] = [];
  tokens.forEach((t, i) => {
    if (t.type !== 'name' || (t.text !== NAME && t.text !== 'r')) return;
    const before = tokens[i - 1]?.text;
    const after = tokens[i + 1]?.text;
    // `x.result`, `x?.result`, `{ result: 1 }`: a property, not the variable.
    if (before === '.' || before === '?.' || (after === ':' && (before === '{' || before === ','))) return;
    if (t.text === 'r') {
      issues.push({
        code: 'EXPR_FORBIDDEN',
        message: 'unknown name "r"',
        offset: t.start,
        length: 1,
        hint: 'a result check reads the final result: write result',
      });
      return;
    }
    out = `${out.slice(0, t.start)}r${' '.repeat(NAME.length - 1)}${out.slice(t.end)}`;
  });
  return { source: out, issues };
}

/** Every issue of a `result:` expression, located in the expression as written. */
export function checkResultExpr(source: string, params: ExprParams = {}): ExprIssue[] {
  const { source: rewritten, issues } = rewrite(source);
  if (issues.length > 0) return issues;
  return checkExpr(rewritten, params).map((issue) => (issue.hint?.includes('write r.') ? { ...issue, hint: 'the final result is named result' } : issue));
}

/** The `result:` expression as a function of the result. */
export function compileResultExpr(source: string, params: ExprParams = {}): (result: unknown) => unknown {
  return compileExpr(rewrite(source).source, params);
}
