// The operators and keywords of the language, as the parser sees them.
import type { Binary, Node } from './ast.js';

// Binding powers: higher binds tighter. 2 = assignment (forbidden), 1 = comma (forbidden).
// Maps, not objects: a name such as "constructor" must not find anything inherited.
export const INFIX = new Map(
  Object.entries({
    ',': 1,
    '?': 3,
    '??': 4,
    '||': 4,
    '&&': 5,
    '|': 6,
    '^': 7,
    '&': 8,
    '==': 9,
    '!=': 9,
    '===': 9,
    '!==': 9,
    '<': 10,
    '>': 10,
    '<=': 10,
    '>=': 10,
    in: 10,
    instanceof: 10,
    '<<': 11,
    '>>': 11,
    '>>>': 11,
    '+': 12,
    '-': 12,
    '*': 13,
    '/': 13,
    '%': 13,
    '**': 14,
  }),
);
export const ASSIGNMENT = new Set(['=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=', '&&=', '||=', '??=']);
export const BITWISE_HINTS = new Map(
  Object.entries({
    '&': 'did you mean "&&"?',
    '|': 'did you mean "||"?',
    '^': 'for a power, use "**"',
    '<<': 'use * 2 ** n',
    '>>': 'use Math.floor(x / 2 ** n)',
    '>>>': 'use Math.floor(x / 2 ** n)',
  }),
);
export const UNARY_BP = 15;
export const LITERAL_NAMES: Record<string, null | boolean | number | undefined> = {
  true: true,
  false: false,
  null: null,
  undefined,
  NaN,
  Infinity,
};
/** Keywords after which the parse cannot go on. */
export const STOP_KEYWORDS = new Set([
  'function',
  'class',
  'new',
  'var',
  'let',
  'const',
  'if',
  'else',
  'for',
  'while',
  'do',
  'return',
  'switch',
  'case',
  'break',
  'continue',
  'throw',
  'try',
  'catch',
  'finally',
  'with',
  'yield',
  'await',
  'import',
  'export',
  'default',
  'debugger',
  'enum',
  'extends',
  'super',
]);

export const KEYWORD_HINTS = new Map(
  Object.entries({
    return: 'write the expression alone, without "return"',
    function: 'expressions cannot define functions',
    class: 'expressions cannot define functions',
  }),
);

/** JavaScript refuses `a ?? b || c` and `a && b ?? c` without parentheses; so do we. */
export function mixesNullish(node: Binary): boolean {
  const clash = node.operator === '??' ? ['||', '&&'] : node.operator === '||' || node.operator === '&&' ? ['??'] : [];
  const logical = (n: Node) => n.type === 'binary' && clash.includes(n.operator);
  return logical(node.left) || logical(node.right);
}
