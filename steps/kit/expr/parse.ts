// The parser: a Pratt parser over the lexer. Constructs that are forbidden but parse like JavaScript
// (assignment, ++, bitwise operators, `in`) are recorded and parsing goes on, so that one pass reports
// them all; constructs after which nothing sensible follows (`function`, `=>`, regexes) stop it.
import { depth, type Binary, type Member, type Node } from './ast.js';
import { issue, stop, ExprStop, type ExprIssue } from './issue.js';
import { ASSIGNMENT, BITWISE_HINTS, INFIX, KEYWORD_HINTS, LITERAL_NAMES, mixesNullish, STOP_KEYWORDS, UNARY_BP } from './grammar.js';
import { Lexer, type Token } from './tokenize.js';

export interface ParseResult {
  /** Undefined when parsing stopped at an issue. */
  ast?: Node;
  issues: ExprIssue[];
}

/** Deeper trees are refused: the checker and the compiler recurse, and no real expression nests so. */
export const MAX_DEPTH = 200;

export function parse(source: string): ParseResult {
  const parser = new Parser(source);
  try {
    const ast = parser.expression(1);
    const rest = parser.lexer.peek();
    if (rest.type !== 'eof') parser.unexpected(rest, 'expected an operator or the end of the expression');
    if (depth(ast) > MAX_DEPTH) parser.tooDeep(0);
    return { ast, issues: parser.issues };
  } catch (e) {
    if (!(e instanceof ExprStop)) throw e;
    return { issues: [...parser.issues, e.issue] };
  }
}

class Parser {
  readonly lexer: Lexer;
  readonly issues: ExprIssue[] = [];
  private previous: Token | undefined;
  private nesting = 0;

  constructor(readonly source: string) {
    this.lexer = new Lexer(source);
  }

  private next(): Token {
    const token = this.lexer.next();
    if (token.type !== 'eof') this.previous = token;
    return token;
  }

  private forbid(message: string, at: Token, hint?: string): void {
    this.issues.push(issue('EXPR_FORBIDDEN', message, at.start, at.end - at.start, hint));
  }

  unexpected(token: Token, hint?: string): never {
    if (token.type === 'eof') {
      const after = this.previous ? `expected a value after "${this.previous.text}"` : 'the expression is empty';
      return stop('EXPR_SYNTAX', 'unexpected end of expression', token.start, 1, hint ?? after);
    }
    return stop('EXPR_SYNTAX', `unexpected "${token.text}"`, token.start, token.end - token.start, hint);
  }

  private expect(text: string): Token {
    const token = this.lexer.peek();
    if (token.type !== 'punct' || token.text !== text) {
      this.unexpected(token, token.type === 'eof' ? `missing "${text}"` : `expected "${text}"`);
    }
    return this.next();
  }

  private eat(text: string): boolean {
    const token = this.lexer.peek();
    if (token.type !== 'punct' || token.text !== text) return false;
    this.next();
    return true;
  }

  tooDeep(offset: number): never {
    return stop('EXPR_SYNTAX', `the expression nests more than ${MAX_DEPTH} levels deep`, offset, this.source.length - offset, 'split it into several steps');
  }

  expression(minBp: number): Node {
    if (++this.nesting > MAX_DEPTH) this.tooDeep(this.lexer.peek().start);
    try {
      return this.operators(minBp);
    } finally {
      this.nesting--;
    }
  }

  private operators(minBp: number): Node {
    let left = this.prefix();
    for (;;) {
      const token = this.lexer.peek();
      const op = token.type === 'punct' || token.type === 'name' ? token.text : '';
      if (op === '=>') stop('EXPR_FORBIDDEN', 'arrow functions are not allowed', token.start, 2, 'expressions cannot define functions');
      if (ASSIGNMENT.has(op) && minBp <= 2) {
        this.next();
        this.forbid('assignment is not allowed', token, op === '=' ? 'to compare, use "==" or "==="' : undefined);
        left = this.binary(op, left, this.expression(2), token);
        continue;
      }
      const bp = INFIX.get(op);
      if (bp === undefined || bp < minBp || (token.type === 'name' && op !== 'in' && op !== 'instanceof')) return left;
      this.next();
      if (op === '?') {
        const consequent = this.expression(2);
        this.expect(':');
        const alternate = this.expression(2);
        left = { type: 'conditional', test: left, consequent, alternate, start: left.start, end: alternate.end };
        continue;
      }
      if (op === ',') this.forbid('the comma operator is not allowed', token, 'an expression computes one value');
      if (BITWISE_HINTS.has(op)) this.forbid(`the bitwise operator "${op}" is not allowed`, token, BITWISE_HINTS.get(op));
      if (op === 'in' || op === 'instanceof') this.forbid(`"${op}" is not allowed`, token);
      if (op === '**' && left.type === 'unary') {
        this.issues.push(issue('EXPR_SYNTAX', 'a unary operator before "**" needs parentheses', token.start, 2, 'write (-x) ** y or -(x ** y)'));
      }
      // `**` is right-associative; the others are left-associative.
      left = this.binary(op, left, this.expression(op === '**' ? bp : bp + 1), token);
    }
  }

  private binary(operator: string, left: Node, right: Node, token: Token): Binary {
    const node: Binary = { type: 'binary', operator, left, right, operatorStart: token.start, start: left.start, end: right.end };
    if (mixesNullish(node)) {
      this.issues.push(
        issue('EXPR_SYNTAX', `"??" cannot be mixed with "||" or "&&" without parentheses`, token.start, token.end - token.start, 'add parentheses'),
      );
    }
    return node;
  }

  private prefix(): Node {
    const token = this.next();
    const { start, end } = token;
    if (token.type === 'num' || token.type === 'str') return this.postfix({ type: 'literal', value: token.value!, start, end });
    if (token.type === 'name') {
      const name = token.text;
      if (Object.hasOwn(LITERAL_NAMES, name)) return this.postfix({ type: 'literal', value: LITERAL_NAMES[name], start, end });
      if (STOP_KEYWORDS.has(name)) stop('EXPR_FORBIDDEN', `"${name}" is not allowed`, start, end - start, KEYWORD_HINTS.get(name));
      if (name === 'typeof') return this.unary('typeof', token);
      if (name === 'void' || name === 'delete') {
        this.forbid(`"${name}" is not allowed`, token);
        return this.expression(UNARY_BP);
      }
      return this.postfix({ type: 'identifier', name, start, end });
    }
    if (token.type === 'eof') return this.unexpected(token);
    switch (token.text) {
      case '-':
      case '+':
      case '!':
        return this.unary(token.text, token);
      case '~':
        this.forbid('the bitwise operator "~" is not allowed', token, 'for a negation, use -x or !x');
        return this.expression(UNARY_BP);
      case '++':
      case '--':
        this.forbid(`"${token.text}" is not allowed`, token, 'expressions cannot change values');
        return this.expression(UNARY_BP);
      case '(': {
        const expression = this.expression(1);
        const close = this.expect(')');
        return this.postfix({ type: 'group', expression, start, end: close.end });
      }
      case '[':
        return this.postfix(this.array(token));
      case '{':
        return this.postfix(this.object(token));
      case '/':
      case '/=':
        return stop('EXPR_FORBIDDEN', 'regular expressions are not allowed', start, 1, 'use string methods such as includes, startsWith or split');
      case '...':
        return stop('EXPR_FORBIDDEN', 'spread ("...") is not allowed', start, 3);
      default:
        return this.unexpected(token);
    }
  }

  private unary(operator: '-' | '+' | '!' | 'typeof', token: Token): Node {
    const argument = this.expression(UNARY_BP);
    return { type: 'unary', operator, argument, start: token.start, end: argument.end };
  }

  /** Member access, calls and postfix ++/-- after a primary expression. */
  private postfix(node: Node): Node {
    for (;;) {
      const token = this.lexer.peek();
      if (token.type !== 'punct') return node;
      if (token.text === '.' || token.text === '?.') {
        this.next();
        const optional = token.text === '?.';
        const after = this.lexer.peek();
        if (optional && after.type === 'punct' && after.text === '[') {
          this.next();
          node = this.computed(node, true);
          continue;
        }
        if (optional && after.type === 'punct' && after.text === '(') {
          stop('EXPR_FORBIDDEN', 'optional calls ("?.(") are not allowed', token.start, 3);
        }
        if (after.type !== 'name') this.unexpected(after, `expected a property name after "${token.text}"`);
        this.next();
        node = { type: 'member', object: node, name: after.text, keyStart: after.start, keyEnd: after.end, optional, start: node.start, end: after.end };
      } else if (token.text === '[') {
        this.next();
        node = this.computed(node, false);
      } else if (token.text === '(') {
        this.next();
        const args = this.list(')');
        node = { type: 'call', callee: node, args, start: node.start, end: this.previous!.end };
      } else if (token.text === '++' || token.text === '--') {
        this.next();
        this.forbid(`"${token.text}" is not allowed`, token, 'expressions cannot change values');
      } else {
        return node;
      }
    }
  }

  /** `object[key]` or `object?.[key]`, after the `[`; a literal key is also known by name. */
  private computed(object: Node, optional: boolean): Member {
    const key = this.expression(1);
    const close = this.expect(']');
    const member: Member = { type: 'member', object, computed: key, keyStart: key.start, keyEnd: key.end, optional, start: object.start, end: close.end };
    if (key.type === 'literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
      member.name = String(key.value);
    }
    return member;
  }

  /** Comma-separated expressions up to `close` (consumed); a trailing comma is fine. */
  private list(close: string): Node[] {
    const items: Node[] = [];
    while (!this.eat(close)) {
      const token = this.lexer.peek();
      if (token.type === 'punct' && token.text === '...') stop('EXPR_FORBIDDEN', 'spread ("...") is not allowed', token.start, 3);
      items.push(this.expression(2));
      if (!this.eat(',')) {
        this.expect(close);
        break;
      }
    }
    return items;
  }

  private array(open: Token): Node {
    const elements = this.list(']');
    return { type: 'array', elements, start: open.start, end: this.previous!.end };
  }

  private object(open: Token): Node {
    const properties = [];
    while (!this.eat('}')) {
      const key = this.next();
      if (key.type !== 'name' && key.type !== 'str' && key.type !== 'num') {
        this.unexpected(key, key.type === 'eof' ? 'missing "}"' : 'expected a key: a name or a quoted string');
      }
      const name = key.type === 'name' ? key.text : String(key.value);
      this.expect(':');
      const value = this.expression(2);
      properties.push({ key: name, keyStart: key.start, keyEnd: key.end, value });
      if (!this.eat(',')) {
        this.expect('}');
        break;
      }
    }
    return { type: 'object', properties, start: open.start, end: this.previous!.end };
  }
}
