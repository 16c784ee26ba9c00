// Whether an expression of a number `r` always gives a number: then `transform` can map a whole
// Float64Array without ever falling back to records, and the engine can plan for that up front.
import { dottedPath, unwrap, type Node } from './ast.js';
import { exprBindings } from './functions.js';
import { parse } from './parse.js';

// Without BigInt in the language, these operators give a number whatever their operands.
const ARITHMETIC = new Set(['-', '*', '/', '%', '**']);
// These give one of their operands.
const EITHER = new Set(['+', '??', '||', '&&']);
const NUMBER_FUNCTIONS = new Set(['Number', 'parseInt', 'parseFloat', 'Number.parseInt', 'Number.parseFloat', 'Date.parse', 'Date.UTC']);

/** True when the expression gives a number for every number `r` (NaN counts as a number). */
export function exprYieldsNumber(source: string): boolean {
  const { ast } = parse(source);
  return ast !== undefined && yieldsNumber(ast);
}

function yieldsNumber(node: Node): boolean {
  node = unwrap(node);
  switch (node.type) {
    case 'literal':
      return typeof node.value === 'number';
    case 'identifier':
      return node.name === 'r';
    case 'unary':
      return node.operator === '-' || node.operator === '+';
    case 'binary':
      if (ARITHMETIC.has(node.operator)) return true;
      return EITHER.has(node.operator) && yieldsNumber(node.left) && yieldsNumber(node.right);
    case 'conditional':
      return yieldsNumber(node.consequent) && yieldsNumber(node.alternate);
    case 'call': {
      const name = dottedPath(node.callee);
      return name !== undefined && (NUMBER_FUNCTIONS.has(name) || (name.startsWith('Math.') && typeof exprBindings[name] === 'function'));
    }
    case 'member': {
      const name = dottedPath(node);
      return name !== undefined && typeof exprBindings[name] === 'number';
    }
    default:
      return false;
  }
}
