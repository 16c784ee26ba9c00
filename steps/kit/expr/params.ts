// `params.NAME` in an expression: the param's typed value, checked by name and compiled to a constant.
import { didYouMean } from '../../../engine/contract/suggest.js';
import { children, unwrap, type Member, type Node } from './ast.js';
import { issue, type ExprIssue } from './issue.js';

/** The params in effect (defaults with `--set` applied), by name. */
export type ExprParams = Readonly<Record<string, unknown>>;

/** The name when the node reads a param: `params.min` or `params["a b"]`; else undefined. */
export function paramName(node: Node): string | undefined {
  if (node.type !== 'member' || node.name === undefined) return undefined;
  const object = unwrap(node.object);
  return object.type === 'identifier' && object.name === 'params' ? node.name : undefined;
}

/** `params.x` with no param x, or `params[r.k]` (a param chosen at run time). */
export function checkParam(m: Member, params: ExprParams, issues: ExprIssue[]): void {
  const known = Object.keys(params);
  const name = paramName(m);
  if (name === undefined) {
    issues.push(issue('EXPR_FORBIDDEN', 'a param chosen at run time cannot be read', m.start, m.end - m.start, 'name it: params.NAME'));
    return;
  }
  if (Object.hasOwn(params, name)) return;
  const near = didYouMean(name, known);
  const hint = near
    ? `did you mean "params.${near}"?`
    : known.length > 0
      ? `known params: ${known.join(', ')}`
      : `declare it under params: with a default (--set ${name}=VALUE overrides it)`;
  issues.push(issue('UNDEFINED_PARAM', `no param named ${name}`, m.start, m.end - m.start, hint));
}

/** `params` alone: a name must follow. */
export function bareParams(start: number, params: ExprParams): ExprIssue {
  const first = Object.keys(params)[0];
  return issue('EXPR_FORBIDDEN', '"params" can only be used with a name after it', start, 'params'.length, `e.g. params.${first ?? 'NAME'}`);
}

/**
 * Replaces, in place, every `params.NAME` whose value is a string, number, boolean or null with a
 * literal node, so the compiler sees a constant (and knows a number is a number).
 */
export function bindParams(root: Node, params: ExprParams): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const name = paramName(node);
    if (name !== undefined && Object.hasOwn(params, name) && isPrimitive(params[name])) {
      const { start, end } = node;
      for (const key of Object.keys(node)) delete (node as unknown as Record<string, unknown>)[key];
      Object.assign(node, { type: 'literal', value: params[name], start, end });
      continue;
    }
    stack.push(...children(node));
  }
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A deep-frozen copy of a param's object or array value, shared by every record. */
export function frozenParam(value: unknown): unknown {
  const copy = structuredClone(value);
  const freeze = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
    Object.freeze(v);
    for (const item of Object.values(v)) freeze(item);
  };
  freeze(copy);
  return copy;
}

/**
 * The expression source of a value, to insert a `${{ placeholder }}` as a literal: a string quoted
 * and escaped, a number, boolean or null as written, an object or array as a literal of literals.
 */
export function exprLiteral(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    const text = Object.is(value, -0) ? '-0' : Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : '-Infinity';
    return text.startsWith('-') ? `(${text})` : text;
  }
  if (typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(exprLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${exprLiteral(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(String(value));
}
