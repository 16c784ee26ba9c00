// The lexer: source text to tokens, one at a time, so errors come out in source order.
import { stop } from './issue.js';

export type TokenType = 'num' | 'str' | 'name' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  /** The source text of the token (for `str`: with its quotes). */
  text: string;
  start: number;
  end: number;
  /** The decoded value of a `num` or `str` token. */
  value?: number | string;
}

// Longest first, so that `===` wins over `==` and `=`. Forbidden operators are lexed too, so the
// parser can name them in its message instead of calling them unexpected characters.
const PUNCTUATORS = [
  '>>>=',
  '...',
  '===',
  '!==',
  '**=',
  '<<=',
  '>>=',
  '>>>',
  '&&=',
  '||=',
  '??=',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '?.',
  '**',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '<<',
  '>>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  '?',
  ':',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '=',
  '!',
  '&',
  '|',
  '^',
  '~',
  ';',
];

const NAME_START = /[A-Za-z_$]/;
const NAME_PART = /[A-Za-z0-9_$]/;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;

  constructor(readonly source: string) {}

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private scan(): Token {
    const src = this.source;
    while (this.pos < src.length && /\s/.test(src[this.pos]!)) this.pos++;
    const start = this.pos;
    if (start >= src.length) return { type: 'eof', text: '', start, end: start };
    const ch = src[start]!;
    if (NAME_START.test(ch)) {
      let end = start + 1;
      while (end < src.length && NAME_PART.test(src[end]!)) end++;
      return this.token('name', start, end);
    }
    if (/\d/.test(ch) || (ch === '.' && /\d/.test(src[start + 1] ?? ''))) return this.number(start);
    if (ch === '"' || ch === "'") return this.string(start, ch);
    if (ch === '`') stop('EXPR_FORBIDDEN', 'template literals are not allowed', start, 1, "join strings with +, e.g. 'a' + r.x");
    // `a?.5:b` is a conditional, not optional chaining (same rule as JavaScript).
    for (const p of PUNCTUATORS) {
      if (!src.startsWith(p, start)) continue;
      if (p === '?.' && /\d/.test(src[start + 2] ?? '')) continue;
      return this.token('punct', start, start + p.length);
    }
    return stop('EXPR_SYNTAX', `unexpected character ${JSON.stringify(String.fromCodePoint(src.codePointAt(start)!))}`, start, 1);
  }

  private token(type: TokenType, start: number, end: number, value?: number | string): Token {
    this.pos = end;
    const token: Token = { type, text: this.source.slice(start, end), start, end };
    if (value !== undefined) token.value = value;
    return token;
  }

  private number(start: number): Token {
    const text = NUMBER.exec(this.source.slice(start))![0];
    const end = start + text.length;
    // Strict mode JavaScript refuses legacy octals such as 010; so do we, rather than guess.
    if (/^0\d/.test(text)) stop('EXPR_SYNTAX', `invalid number "${text}"`, start, text.length, 'leading zeros are not allowed');
    // `1n`, `3in`, `1_000`, `0x1g`: a number glued to a name is not a number.
    if (end < this.source.length && NAME_PART.test(this.source[end]!)) {
      let bad = end;
      while (bad < this.source.length && NAME_PART.test(this.source[bad]!)) bad++;
      stop('EXPR_SYNTAX', `invalid number "${this.source.slice(start, bad)}"`, start, bad - start);
    }
    return this.token('num', start, end, Number(text));
  }

  private string(start: number, quote: string): Token {
    const src = this.source;
    let value = '';
    let i = start + 1;
    for (;;) {
      if (i >= src.length || src[i] === '\n' || src[i] === '\r') {
        stop('EXPR_SYNTAX', 'unterminated string', start, i - start, `close it with ${quote}`);
      }
      const ch = src[i]!;
      if (ch === quote) return this.token('str', start, i + 1, value);
      if (ch !== '\\') {
        value += ch;
        i++;
        continue;
      }
      const [decoded, length] = this.escape(i);
      value += decoded;
      i += length;
    }
  }

  /** The escape sequence starting at the backslash at `at`: its value and its length. */
  private escape(at: number): [string, number] {
    const src = this.source;
    const e = src[at + 1];
    if (e === undefined) return stop('EXPR_SYNTAX', 'unterminated string', at, 1);
    if (Object.hasOwn(SIMPLE_ESCAPES, e) && !(e === '0' && /\d/.test(src[at + 2] ?? ''))) return [SIMPLE_ESCAPES[e]!, 2];
    if (e === '\n') return ['', 2];
    if (e === '\r') return ['', src[at + 2] === '\n' ? 3 : 2];
    const hex = e === 'x' ? /^[0-9a-fA-F]{2}/.exec(src.slice(at + 2)) : e === 'u' ? /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,6}\})/.exec(src.slice(at + 2)) : null;
    if (hex) {
      const code = parseInt(hex[0].replace(/[{}]/g, ''), 16);
      if (code <= 0x10ffff) return [String.fromCodePoint(code), 2 + hex[0].length];
    }
    if (e === 'x' || e === 'u' || /\d/.test(e)) {
      return stop('EXPR_SYNTAX', `invalid escape sequence "\\${e}"`, at, 2);
    }
    return [e, 2];
  }
}
