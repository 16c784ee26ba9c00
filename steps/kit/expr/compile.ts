// The compiler: a checked tree to JavaScript source, built once into a closure with `new Function`.
// The closure sees `r`, the bindings it uses (copied from the frozen table in functions.ts), the
// key guard and the size limits (limits.ts: `+` and the methods that can build without bound);
// every other name is refused by the checker before any code is generated.
import { FlowError } from '../../../engine/contract/errors.js';
import { unwrap, type Call, type Member, type Node } from './ast.js';
import { analyze } from './check.js';
import { exprBindings, isConstant, isFunction, namespaces } from './functions.js';
import type { ExprIssue } from './issue.js';
import { add, guardedMethods, isGuardedMethod } from './limits.js';
import { FORBIDDEN_PROPERTIES } from './names.js';
import { bindParams, frozenParam, paramName, type ExprParams } from './params.js';

/** A compile-time FlowError that also carries every issue, with offsets into the expression. */
export class ExprError extends FlowError {
  constructor(readonly issues: ExprIssue[]) {
    const first = issues[0]!;
    super({ code: first.code, message: first.message, ...(first.hint ? { hint: first.hint } : {}) });
  }
}

const BINARY = new Set(['+', '-', '*', '/', '%', '**', '==', '!=', '===', '!==', '<', '<=', '>', '>=', '&&', '||', '??']);
const UNARY = new Set(['-', '+', '!', 'typeof']);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
// These give a number whatever their operands (no BigInt in the language), as do these functions.
const ARITHMETIC = new Set(['-', '*', '/', '%', '**']);
const NUMBER_FUNCTIONS = new Set(['Number', 'parseInt', 'parseFloat', 'Number.parseInt', 'Number.parseFloat', 'Date.parse', 'Date.UTC']);

/** Refuses, at run time, a computed key that would reach a prototype or a constructor. */
function guardKey(key: unknown): string | number {
  if (typeof key === 'number') return key;
  const name = String(key); // converted once, so an object key cannot answer differently later
  if (FORBIDDEN_PROPERTIES.has(name)) throw new TypeError(`property "${name}" is not allowed in expressions`);
  return name;
}

/** What emitting collects: the bound names used, how many temporaries optional chains need, the params' object values. */
interface Emit {
  used: Set<string>;
  temps: number;
  params: ExprParams;
  /** Param names whose (object) values the closure holds, as $p[i]. */
  constants: string[];
}

/**
 * The expression as a function of the record. `params.NAME` is the param's value, compiled in as a
 * constant. Throws an ExprError when checkExpr finds issues.
 */
export function compileExpr(source: string, params: ExprParams = {}): (r: any) => unknown {
  const { ast, issues } = analyze(source, params);
  if (issues.length > 0 || !ast) throw new ExprError(issues);
  bindParams(ast, params);
  const ctx: Emit = { used: new Set(), temps: 0, params, constants: [] };
  const body = emit(ast, ctx);
  const locals = [...ctx.used].map((name) => `const ${local(name)} = $env[${JSON.stringify(name)}];\n`).join('');
  const temps = ctx.temps > 0 ? `let ${Array.from({ length: ctx.temps }, (_, i) => `$t${i}`).join(', ')}; ` : '';
  const factory = new Function('$env', '$key', '$add', '$limit', '$p', `"use strict";\n${locals}return function (r) { ${temps}return ${body}; };`);
  const constants = ctx.constants.map((name) => frozenParam(params[name]));
  return factory(exprBindings, guardKey, add, guardedMethods, constants) as (r: any) => unknown;
}

/** The JavaScript source of a tree, for tests and for debugging. */
export function exprSource(source: string, params: ExprParams = {}): string {
  const { ast, issues } = analyze(source, params);
  if (issues.length > 0 || !ast) throw new ExprError(issues);
  bindParams(ast, params);
  return emit(ast, { used: new Set(), temps: 0, params, constants: [] });
}

function local(name: string): string {
  return `$${name.replace(/\./g, '_')}`;
}

function emit(node: Node, used: Emit): string {
  const e = (n: Node) => emit(n, used);
  switch (node.type) {
    case 'literal': {
      const v = node.value;
      if (typeof v === 'string') return JSON.stringify(v);
      if (v === undefined) return '(void 0)';
      // A param's number may be negative: `-(-5)` must not become `--5`.
      if (typeof v === 'number')
        return Number.isNaN(v) ? '(0 / 0)' : !Number.isFinite(v) ? `(${v > 0 ? '' : '-'}1 / 0)` : Object.is(v, -0) || v < 0 ? `(-${-v})` : String(v);
      return String(v);
    }
    case 'identifier':
      if (node.name !== 'r') throw new Error(`bug: unchecked name "${node.name}" reached the compiler`);
      return 'r';
    case 'group':
      return `(${e(node.expression)})`;
    case 'array':
      return `[${node.elements.map(e).join(', ')}]`;
    case 'object':
      return `({${node.properties.map((p) => `${JSON.stringify(safeKey(p.key))}: ${e(p.value)}`).join(', ')}})`;
    case 'member':
    case 'call':
      if (node.type === 'member' && paramName(node) !== undefined) return constant(node, used);
      return chainHasGuard(node) ? guardedChain(node, used) : node.type === 'member' ? member(node, used) : call(node, used);
    case 'unary':
      if (!UNARY.has(node.operator)) throw new Error(`bug: operator "${node.operator}" reached the compiler`);
      return `(${node.operator === 'typeof' ? 'typeof ' : node.operator}${e(node.argument)})`;
    case 'binary':
      if (!BINARY.has(node.operator)) throw new Error(`bug: operator "${node.operator}" reached the compiler`);
      // `+` may join strings: bounded like the methods that build them.
      if (node.operator === '+' && !(surelyNumber(node.left) && surelyNumber(node.right))) return `$add(${e(node.left)}, ${e(node.right)})`;
      return `(${e(node.left)} ${node.operator} ${e(node.right)})`;
    case 'conditional':
      return `(${e(node.test)} ? ${e(node.consequent)} : ${e(node.alternate)})`;
  }
}

/** A number whatever the record holds: `r.a * 2`, `-r.b`, `Math.abs(r.c)`, `3`. */
function surelyNumber(node: Node): boolean {
  node = unwrap(node);
  if (node.type === 'literal') return typeof node.value === 'number';
  if (node.type === 'unary') return node.operator === '-' || node.operator === '+';
  if (node.type === 'binary') return ARITHMETIC.has(node.operator) || (node.operator === '+' && surelyNumber(node.left) && surelyNumber(node.right));
  const bound = node.type === 'call' ? boundName(node.callee) : node.type === 'member' ? boundName(node) : undefined;
  return bound !== undefined && (NUMBER_FUNCTIONS.has(bound) || bound.startsWith('Math.') || bound.startsWith('Number.')) && !bound.startsWith('Number.is');
}

/** `params.list`: an object or array value, held once by the closure. */
function constant(node: Member, ctx: Emit): string {
  const name = paramName(node)!;
  if (!Object.hasOwn(ctx.params, name)) throw new Error(`bug: unchecked param "${name}" reached the compiler`);
  let i = ctx.constants.indexOf(name);
  if (i === -1) i = ctx.constants.push(name) - 1;
  return `$p[${i}]`;
}

function safeKey(key: string): string {
  if (FORBIDDEN_PROPERTIES.has(key)) throw new Error(`bug: key "${key}" reached the compiler`);
  return key;
}

/** A bound name (`Math.PI`, `Math.abs`) when the node names one, else undefined. */
function boundName(node: Node): string | undefined {
  node = unwrap(node);
  if (node.type === 'identifier' && isFunction(node.name)) return node.name;
  if (node.type !== 'member' || node.computed || node.name === undefined) return undefined;
  const object = unwrap(node.object);
  if (object.type !== 'identifier' || !namespaces.has(object.name)) return undefined;
  const name = `${object.name}.${node.name}`;
  return isFunction(name) || isConstant(name) ? name : undefined;
}

function member(node: Member, ctx: Emit): string {
  const bound = boundName(node);
  if (bound !== undefined) {
    ctx.used.add(bound);
    return local(bound);
  }
  return `${base(node.object, ctx)}${access(node, node.optional, ctx)}`;
}

function base(node: Node, ctx: Emit): string {
  const code = emit(node, ctx);
  return node.type === 'literal' ? `(${code})` : code;
}

/** `.name`, `?.name`, `["a b"]`, `[0]` or `[$key(expr)]`, to put after the object's code. */
function access(node: Member, optional: boolean, ctx: Emit): string {
  const key = node.computed;
  const dot = optional ? '?.' : '.';
  if (key?.type === 'literal' && typeof key.value === 'number') return `${optional ? '?.' : ''}[${emit(key, ctx)}]`;
  if (node.name !== undefined) {
    const name = safeKey(node.name);
    return IDENTIFIER.test(name) ? `${dot}${name}` : `${optional ? '?.' : ''}[${JSON.stringify(name)}]`;
  }
  return `${optional ? '?.' : ''}[$key(${emit(key!, ctx)})]`;
}

function call(node: Call, ctx: Emit): string {
  const args = node.args.map((a) => emit(a, ctx)).join(', ');
  const bound = boundName(node.callee);
  if (bound !== undefined && isFunction(bound)) {
    ctx.used.add(bound);
    return `${local(bound)}(${args})`;
  }
  return `${emit(node.callee, ctx)}(${args})`;
}

/** A call of a bound function (`Math.abs(x)`) or a bound name starts a chain; it is not a link. */
function isLink(node: Node): node is Member | Call {
  if (node.type === 'member') return boundName(node) === undefined && paramName(node) === undefined;
  if (node.type === 'call') return !isFunction(boundName(node.callee) ?? '');
  return false;
}

/** The links of the chain ending at `top` (`r.a?.b.repeat(2).length`), from its base up. */
function links(top: Member | Call): { base: Node; links: (Member | Call)[] } {
  const found: (Member | Call)[] = [];
  let node: Node = top;
  while (isLink(node)) {
    found.push(node);
    node = node.type === 'member' ? node.object : node.callee;
  }
  return { base: node, links: found.reverse() };
}

function isGuardedCall(link: Member | Call): link is Call {
  return link.type === 'call' && link.callee.type === 'member' && link.callee.name !== undefined && isGuardedMethod(link.callee.name);
}

function chainHasGuard(node: Member | Call): boolean {
  return links(node).links.some(isGuardedCall);
}

/**
 * A chain with a guarded method call: `s.repeat(n)` becomes `$limit.repeat(s, n)`. A function call
 * would end an optional chain early (`r.a?.b.repeat(2)` must give undefined, not throw, when r.a is
 * null), so `?.` is written out with a temporary, as TypeScript compiles it for older targets.
 */
function guardedChain(top: Member | Call, ctx: Emit): string {
  const chain = links(top);
  const rest = (code: string, from: number): string => {
    for (let i = from; i < chain.links.length; i++) {
      const link = chain.links[i]!;
      if (link.type === 'call') {
        code = `${code}(${link.args.map((a) => emit(a, ctx)).join(', ')})`;
        continue;
      }
      if (link.optional && i !== from) {
        const t = `$t${ctx.temps++}`;
        return `((${t} = ${code}) == null ? void 0 : ${rest(t, i)})`;
      }
      const next = chain.links[i + 1];
      if (next && isGuardedCall(next)) {
        code = `$limit.${safeKey(link.name!)}(${[code, ...next.args.map((a) => emit(a, ctx))].join(', ')})`;
        i++;
      } else code += access(link, false, ctx);
    }
    return code;
  };
  const first = chain.links[0]!;
  const start = base(chain.base, ctx);
  if (first.type === 'member' && first.optional) {
    const t = `$t${ctx.temps++}`;
    return `((${t} = ${start}) == null ? void 0 : ${rest(t, 0)})`;
  }
  return rest(start, 0);
}
