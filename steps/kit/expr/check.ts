// The whitelist check over the syntax tree: names, properties and calls. An expression that passes
// can only read `r`, read properties other than the forbidden ones, call the functions of
// functions.ts by name and call the allowed methods on values.
import { didYouMean } from '../../../engine/contract/suggest.js';
import { dottedPath, pathRoot, unwrap, type Call, type Identifier, type Member, type Node } from './ast.js';
import { exprFunctions, isConstant, isFunction, isMethod, namespaces } from './functions.js';
import { issue, type ExprIssue } from './issue.js';
import { FORBIDDEN_PROPERTIES, forbiddenName, isForbiddenName, unknownFunction } from './names.js';
import { bareParams, checkParam, type ExprParams } from './params.js';
import { parse } from './parse.js';
import { scanNames } from './scan.js';

const VALUE_NAMES = ['true', 'false', 'null', 'undefined', 'NaN', 'Infinity', 'params', ...namespaces];

/** Every issue of an expression; [] when it is valid. `params`: the params it may read (none when omitted). Never throws. */
export function checkExpr(source: string, params: ExprParams = {}): ExprIssue[] {
  return analyze(source, params).issues;
}

/** The tree and every issue, in source order; the tree is safe to compile when there are no issues. */
export function analyze(source: string, params: ExprParams = {}): { ast?: Node; issues: ExprIssue[] } {
  const { ast, issues } = parse(source);
  if (ast) check(ast, params, issues);
  else scanNames(source, issues.at(-1)!.offset, issues);
  issues.sort((a, b) => a.offset - b.offset);
  return ast ? { ast, issues } : { issues };
}

function check(node: Node, params: ExprParams, issues: ExprIssue[]): void {
  const span = (n: { start: number; end: number }) => [n.start, n.end - n.start] as const;
  const visit = (n: Node): void => {
    switch (n.type) {
      case 'literal':
        return;
      case 'identifier':
        return n.name === 'params' ? void issues.push(bareParams(n.start, params)) : checkName(n, issues);
      case 'group':
        return visit(n.expression);
      case 'array':
        return n.elements.forEach(visit);
      case 'object':
        for (const p of n.properties) {
          if (FORBIDDEN_PROPERTIES.has(p.key)) issues.push(forbiddenKey(p.key, p.keyStart, p.keyEnd));
          visit(p.value);
        }
        return;
      case 'member':
        return isParamsObject(n) ? checkParam(n, params, issues) : checkMember(n, visit, issues);
      case 'call':
        checkCallee(n, visit, issues);
        return n.args.forEach(visit);
      case 'unary':
        return visit(n.argument);
      case 'binary':
        visit(n.left);
        return visit(n.right);
      case 'conditional':
        visit(n.test);
        visit(n.consequent);
        return visit(n.alternate);
      default:
        issues.push(issue('EXPR_FORBIDDEN', 'this construct is not allowed', ...span(n)));
    }
  };
  visit(node);
}

function forbiddenKey(key: string, start: number, end: number): ExprIssue {
  return forbiddenName(key, start, end - start);
}

/** An identifier used as a value. */
function checkName(id: Identifier, issues: ExprIssue[]): void {
  const { name, start } = id;
  const length = name.length;
  if (name === 'r') return;
  if (isFunction(name)) {
    issues.push(issue('EXPR_FORBIDDEN', `"${name}" can only be called`, start, length, `write ${name}(...)`));
  } else if (namespaces.has(name)) {
    const example = exprFunctions.functions.find((f) => f.startsWith(`${name}.`))!;
    issues.push(issue('EXPR_FORBIDDEN', `"${name}" can only be used with a name after it`, start, length, `e.g. ${example}(...)`));
  } else if (isForbiddenName(name)) {
    issues.push(forbiddenName(name, start));
  } else {
    const close = didYouMean(name, VALUE_NAMES);
    const hint = close ? `did you mean "${close}"?` : `to read the field "${name}" of the record, write r.${name}`;
    issues.push(issue('EXPR_FORBIDDEN', `unknown name "${name}"`, start, length, hint));
  }
}

function checkMember(m: Member, visit: (n: Node) => void, issues: ExprIssue[]): void {
  const object = unwrap(m.object);
  const onNamespace = object.type === 'identifier' && namespaces.has(object.name);
  if (m.name !== undefined && FORBIDDEN_PROPERTIES.has(m.name)) {
    issues.push(forbiddenKey(m.name, m.keyStart, m.keyEnd));
    if (!onNamespace) visit(m.object);
    return;
  }
  if (onNamespace) {
    // `Math.PI`: a constant. `Math.abs` without a call would hand out a function value.
    const path = m.name !== undefined && !m.computed ? `${object.name}.${m.name}` : undefined;
    if (path !== undefined && isConstant(path)) return;
    if (path !== undefined && isFunction(path)) {
      issues.push(issue('EXPR_FORBIDDEN', `"${path}" can only be called`, m.start, m.end - m.start, `write ${path}(...)`));
      return;
    }
    const shown = path ?? `${object.name}[...]`;
    const close = path && didYouMean(path, exprFunctions.constants);
    issues.push(issue('EXPR_FORBIDDEN', `unknown name "${shown}"`, m.start, m.end - m.start, close ? `did you mean "${close}"?` : undefined));
    return;
  }
  visit(m.object);
  if (m.computed) visit(m.computed);
}

function checkCallee(call: Call, visit: (n: Node) => void, issues: ExprIssue[]): void {
  const callee = unwrap(call.callee);
  if (callee.type === 'member' && callee.name !== undefined && FORBIDDEN_PROPERTIES.has(callee.name)) {
    return checkMember(callee, visit, issues);
  }
  // A function by name: `parseInt(x)`, `Math.abs(x)`, or an unknown one: `evall(x)`, `process.exit()`.
  const path = dottedPath(callee);
  const root = pathRoot(callee);
  if (path !== undefined && root !== undefined && root.name !== 'r' && (callee.type === 'identifier' || isNameRooted(callee))) {
    if (isFunction(path)) return;
    issues.push(isForbiddenName(root.name) ? forbiddenName(root.name, root.start) : unknownFunction(path, root.start, callee.end - root.start));
    return;
  }
  if (callee.type === 'member') {
    // A method of a value: `r.name.slice(0, 3)`.
    if (callee.name === undefined) {
      issues.push(
        issue('EXPR_FORBIDDEN', 'a method chosen at run time cannot be called', callee.keyStart, callee.keyEnd - callee.keyStart, 'call a method by its name'),
      );
    } else if (!isMethod(callee.name)) {
      const close = didYouMean(callee.name, exprFunctions.methods);
      const hint = close ? `did you mean "${close}"?` : `allowed methods: ${exprFunctions.methods.join(', ')}`;
      issues.push(issue('EXPR_UNKNOWN_FUNCTION', `unknown method "${callee.name}"`, callee.keyStart, callee.keyEnd - callee.keyStart, hint));
    }
    visit(callee.object);
    if (callee.computed) visit(callee.computed);
    return;
  }
  if (callee.type === 'identifier') {
    issues.push(issue('EXPR_FORBIDDEN', '"r" is the record, not a function', callee.start, 1));
    return;
  }
  issues.push(issue('EXPR_FORBIDDEN', 'only functions and methods named in the expression can be called', callee.start, callee.end - callee.start));
  visit(callee);
}

/** `params.x`, `params[k]`: the object is the params. */
function isParamsObject(m: Member): boolean {
  const object = unwrap(m.object);
  return object.type === 'identifier' && object.name === 'params';
}

/** `Math.abs`, `process.exit`: a dotted path whose first part is a bare name (not the record). */
function isNameRooted(callee: Node): boolean {
  const object = unwrap((callee as Member).object);
  return object.type === 'identifier' && object.name !== 'r';
}
