// The syntax tree of an expression. Every node keeps its [start, end) span in the source.

interface Span {
  start: number;
  end: number;
}

/** A literal value; `undefined`, `NaN` and `Infinity` are literals too. */
export interface Literal extends Span {
  type: 'literal';
  value: string | number | boolean | null | undefined;
}

export interface Identifier extends Span {
  type: 'identifier';
  name: string;
}

/** `(expr)`: kept because parentheses change meaning in `(a?.b).c` and `(a ?? b) || c`. */
export interface Group extends Span {
  type: 'group';
  expression: Node;
}

export interface ArrayLiteral extends Span {
  type: 'array';
  elements: Node[];
}

export interface Property {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: Node;
}

export interface ObjectLiteral extends Span {
  type: 'object';
  properties: Property[];
}

/** `a.name`, `a?.name`, `a["name"]`, `a[0]` and `a[expr]`. */
export interface Member extends Span {
  type: 'member';
  object: Node;
  /** The key when it is known statically: a name, a string literal or a number literal. */
  name?: string;
  /** The key expression when it is computed (`a[expr]`), literal keys included. */
  computed?: Node;
  /** Span of the key: the name after the dot, or the literal inside the brackets. */
  keyStart: number;
  keyEnd: number;
  optional: boolean;
}

export interface Call extends Span {
  type: 'call';
  callee: Node;
  args: Node[];
}

export interface Unary extends Span {
  type: 'unary';
  operator: '-' | '+' | '!' | 'typeof';
  argument: Node;
}

export interface Binary extends Span {
  type: 'binary';
  operator: string;
  left: Node;
  right: Node;
  /** Offset of the operator, for messages. */
  operatorStart: number;
}

export interface Conditional extends Span {
  type: 'conditional';
  test: Node;
  consequent: Node;
  alternate: Node;
}

export type Node = Literal | Identifier | Group | ArrayLiteral | ObjectLiteral | Member | Call | Unary | Binary | Conditional;

/** The node inside any number of parentheses. */
export function unwrap(node: Node): Node {
  while (node.type === 'group') node = node.expression;
  return node;
}

/** `Math.abs` -> 'Math.abs', `parseInt` -> 'parseInt'; undefined when not a dotted path of names. */
export function dottedPath(node: Node): string | undefined {
  node = unwrap(node);
  if (node.type === 'identifier') return node.name;
  if (node.type === 'member' && !node.computed && node.name !== undefined) {
    const base = dottedPath(node.object);
    return base === undefined ? undefined : `${base}.${node.name}`;
  }
  return undefined;
}

/** The identifier a dotted path starts with. */
export function pathRoot(node: Node): Identifier | undefined {
  node = unwrap(node);
  if (node.type === 'identifier') return node;
  if (node.type === 'member') return pathRoot(node.object);
  return undefined;
}

/** The direct sub-expressions of a node. */
export function children(node: Node): Node[] {
  switch (node.type) {
    case 'literal':
    case 'identifier':
      return [];
    case 'group':
      return [node.expression];
    case 'array':
      return node.elements;
    case 'object':
      return node.properties.map((p) => p.value);
    case 'member':
      return node.computed ? [node.object, node.computed] : [node.object];
    case 'call':
      return [node.callee, ...node.args];
    case 'unary':
      return [node.argument];
    case 'binary':
      return [node.left, node.right];
    case 'conditional':
      return [node.test, node.consequent, node.alternate];
  }
}

/** How deeply the tree nests, computed without recursion (the tree may be very deep). */
export function depth(root: Node): number {
  let deepest = 0;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    for (const child of children(node)) stack.push([child, d + 1]);
  }
  return deepest;
}
