// The safe expression language over the record `r`.
export type { ExprIssue, ExprIssueCode } from './issue.js';
export { checkExpr } from './check.js';
export { compileExpr, exprSource, ExprError } from './compile.js';
export { exprLiteral } from './params.js';
export type { ExprParams } from './params.js';
export { exprFields } from './fields.js';
export { exprFunctions } from './functions.js';
export { exprYieldsNumber } from './numeric.js';
