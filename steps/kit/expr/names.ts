// The names that are refused, and the issues that name them, shared by the tree check and the
// token scan that runs when an expression does not parse.
import { didYouMean } from '../../../engine/contract/suggest.js';
import { exprFunctions, functionSummary, namespaces } from './functions.js';
import { issue, type ExprIssue } from './issue.js';

/** Properties that lead to prototypes and the Function constructor; refused statically and at run time. */
export const FORBIDDEN_PROPERTIES: ReadonlySet<string> = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Names that are a way out of the sandbox, named as such rather than as merely unknown. */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  'this',
  'globalThis',
  'global',
  'window',
  'self',
  'process',
  'require',
  'module',
  'exports',
  'eval',
  'Function',
  'arguments',
  'Reflect',
  'Proxy',
  'Symbol',
  'WebAssembly',
  'Atomics',
  'SharedArrayBuffer',
  'Buffer',
  'fetch',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'console',
  'Deno',
  'Bun',
  'Worker',
  'Promise',
  'AsyncFunction',
  'GeneratorFunction',
  ...FORBIDDEN_PROPERTIES,
]);

export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_NAMES.has(name) && !namespaces.has(name);
}

export function forbiddenName(name: string, start: number, length = name.length): ExprIssue {
  return issue('EXPR_FORBIDDEN', `"${name}" is not allowed`, start, length, name === 'this' ? 'the record is "r"' : undefined);
}

export function unknownFunction(path: string, start: number, length: number): ExprIssue {
  const close = didYouMean(path, exprFunctions.functions);
  return issue('EXPR_UNKNOWN_FUNCTION', `unknown function "${path}"`, start, length, close ? `did you mean "${close}"?` : functionSummary());
}
