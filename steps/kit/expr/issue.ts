// The problems an expression can have, located by character offset inside its source.

export type ExprIssueCode = 'EXPR_SYNTAX' | 'EXPR_UNKNOWN_FUNCTION' | 'EXPR_FORBIDDEN' | 'UNDEFINED_PARAM';

export interface ExprIssue {
  code: ExprIssueCode;
  /** e.g. `unknown function "evall"`, `unexpected ")"`, `"constructor" is not allowed`. */
  message: string;
  /** 0-based character offset in the expression source where the problem starts. */
  offset: number;
  /** Characters to underline (>= 1). */
  length: number;
  hint?: string;
}

export function issue(code: ExprIssueCode, message: string, offset: number, length: number, hint?: string): ExprIssue {
  const found: ExprIssue = { code, message, offset, length: Math.max(1, length) };
  if (hint !== undefined) found.hint = hint;
  return found;
}

/** Thrown inside the lexer and parser when parsing cannot go on; carries the issue. */
export class ExprStop extends Error {
  constructor(readonly issue: ExprIssue) {
    super(issue.message);
  }
}

export function stop(code: ExprIssueCode, message: string, offset: number, length: number, hint?: string): never {
  throw new ExprStop(issue(code, message, offset, length, hint));
}
