// The compiler: a checked tree to JavaScript source, built once into a closure with `new Function`.
// The closure sees `r`, the bindings it uses (copied from the frozen table in functions.ts) and the
// key guard; every other name is refused by the checker before any code is generated.
import { FlowError } from '../../../engine/contract/errors.js';
import { unwrap, type Call, type Member, type Node } from './ast.js';
import { analyze } from './check.js';
import { exprBindings, isConstant, isFunction, namespaces } from './functions.js';
import type { ExprIssue } from './issue.js';
import { FORBIDDEN_PROPERTIES } from './names.js';

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

/** Refuses, at run time, a computed key that would reach a prototype or a constructor. */
function guardKey(key: unknown): string | number {
  if (typeof key === 'number') return key;
  const name = String(key); // converted once, so an object key cannot answer differently later
  if (FORBIDDEN_PROPERTIES.has(name)) throw new TypeError(`property "${name}" is not allowed in expressions`);
  return name;
}

/** The expression as a function of the record. Throws an ExprError when checkExpr finds issues. */
export function compileExpr(source: string): (r: any) => unknown {
  const { ast, issues } = analyze(source);
  if (issues.length > 0 || !ast) throw new ExprError(issues);
  const used = new Set<string>();
  const body = emit(ast, used);
  const locals = [...used].map((name) => `const ${local(name)} = $env[${JSON.stringify(name)}];\n`).join('');
  const factory = new Function('$env', '$key', `"use strict";\n${locals}return function (r) { return ${body}; };`);
  return factory(exprBindings, guardKey) as (r: any) => unknown;
}

/** The JavaScript source of a tree, for tests and for debugging. */
export function exprSource(source: string): string {
  const { ast, issues } = analyze(source);
  if (issues.length > 0 || !ast) throw new ExprError(issues);
  return emit(ast, new Set());
}

function local(name: string): string {
  return `$${name.replace(/\./g, '_')}`;
}

function emit(node: Node, used: Set<string>): string {
  const e = (n: Node) => emit(n, used);
  switch (node.type) {
    case 'literal': {
      const v = node.value;
      if (typeof v === 'string') return JSON.stringify(v);
      if (v === undefined) return '(void 0)';
      if (typeof v === 'number') return Number.isNaN(v) ? '(0 / 0)' : v === Infinity ? '(1 / 0)' : String(v);
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
      return member(node, used);
    case 'call':
      return call(node, used);
    case 'unary':
      if (!UNARY.has(node.operator)) throw new Error(`bug: operator "${node.operator}" reached the compiler`);
      return `(${node.operator === 'typeof' ? 'typeof ' : node.operator}${e(node.argument)})`;
    case 'binary':
      if (!BINARY.has(node.operator)) throw new Error(`bug: operator "${node.operator}" reached the compiler`);
      return `(${e(node.left)} ${node.operator} ${e(node.right)})`;
    case 'conditional':
      return `(${e(node.test)} ? ${e(node.consequent)} : ${e(node.alternate)})`;
  }
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

function member(node: Member, used: Set<string>): string {
  const bound = boundName(node);
  if (bound !== undefined) {
    used.add(bound);
    return local(bound);
  }
  const object = emit(node.object, used);
  const base = node.object.type === 'literal' ? `(${object})` : object;
  const dot = node.optional ? '?.' : '.';
  const key = node.computed;
  if (key?.type === 'literal' && typeof key.value === 'number') return `${base}${node.optional ? '?.' : ''}[${emit(key, used)}]`;
  if (node.name !== undefined) {
    const name = safeKey(node.name);
    return IDENTIFIER.test(name) ? `${base}${dot}${name}` : `${base}${node.optional ? '?.' : ''}[${JSON.stringify(name)}]`;
  }
  return `${base}${node.optional ? '?.' : ''}[$key(${emit(key!, used)})]`;
}

function call(node: Call, used: Set<string>): string {
  const args = node.args.map((a) => emit(a, used)).join(', ');
  const bound = boundName(node.callee);
  if (bound !== undefined && isFunction(bound)) {
    used.add(bound);
    return `${local(bound)}(${args})`;
  }
  return `${emit(node.callee, used)}(${args})`;
}
