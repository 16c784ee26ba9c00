// Which top-level fields of the record an expression reads, so readers can skip the others.
import { unwrap, type Node } from './ast.js';
import { parse } from './parse.js';

/**
 * The top-level fields of `r` the expression reads, in order of first use: ['delay', 'origin'] for
 * `r.delay > 1 && r['origin'] == 'x'`. Undefined when `r` is used whole (`r`, `String(r)`), with a
 * computed key (`r[r.k]`), or when the expression does not parse.
 */
export function exprFields(source: string): string[] | undefined {
  const { ast } = parse(source);
  if (!ast) return undefined;
  const fields = new Set<string>();
  let whole = false;
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'literal':
        return;
      case 'identifier':
        if (node.name === 'r') whole = true;
        return;
      case 'group':
        return visit(node.expression);
      case 'array':
        return node.elements.forEach(visit);
      case 'object':
        return node.properties.forEach((p) => visit(p.value));
      case 'member': {
        const object = unwrap(node.object);
        if (object.type === 'identifier' && object.name === 'r' && node.name !== undefined) {
          fields.add(node.name);
          return;
        }
        visit(node.object);
        if (node.computed) visit(node.computed);
        return;
      }
      case 'call': {
        // `r.split(' ')` calls a method of the record itself: the record is used whole.
        const callee = unwrap(node.callee);
        if (callee.type === 'member' && unwrap(callee.object).type === 'identifier') {
          const object = unwrap(callee.object);
          if (object.type === 'identifier' && object.name === 'r') whole = true;
        }
        visit(node.callee);
        return node.args.forEach(visit);
      }
      case 'unary':
        return visit(node.argument);
      case 'binary':
        visit(node.left);
        return visit(node.right);
      case 'conditional':
        visit(node.test);
        visit(node.consequent);
        return visit(node.alternate);
    }
  };
  visit(ast);
  return whole ? undefined : [...fields];
}
