import { describe, expect, it } from 'vitest';
import { ExprStop } from '../../../../steps/kit/expr/issue.js';
import { Lexer, type Token } from '../../../../steps/kit/expr/tokenize.js';

function tokens(source: string): Token[] {
  const lexer = new Lexer(source);
  const out: Token[] = [];
  for (let t = lexer.next(); t.type !== 'eof'; t = lexer.next()) out.push(t);
  return out;
}

function failure(source: string) {
  try {
    tokens(source);
  } catch (e) {
    if (e instanceof ExprStop) return e.issue;
    throw e;
  }
  throw new Error(`no error for ${source}`);
}

describe('Lexer', () => {
  it('splits names, numbers, strings and punctuators with their spans', () => {
    expect(tokens("r.delay >= 15 && r['a b']").map((t) => [t.type, t.text, t.start, t.end])).toEqual([
      ['name', 'r', 0, 1],
      ['punct', '.', 1, 2],
      ['name', 'delay', 2, 7],
      ['punct', '>=', 8, 10],
      ['num', '15', 11, 13],
      ['punct', '&&', 14, 16],
      ['name', 'r', 17, 18],
      ['punct', '[', 18, 19],
      ['str', "'a b'", 19, 24],
      ['punct', ']', 24, 25],
    ]);
  });

  it('prefers the longest operator', () => {
    expect(
      tokens('a === b !== c ** d ?? e >>>= f')
        .filter((t) => t.type === 'punct')
        .map((t) => t.text),
    ).toEqual(['===', '!==', '**', '??', '>>>=']);
  });

  it('reads `?.` as optional chaining but not before a digit', () => {
    expect(tokens('a?.b').map((t) => t.text)).toEqual(['a', '?.', 'b']);
    expect(tokens('a?.5:1').map((t) => t.text)).toEqual(['a', '?', '.5', ':', '1']);
  });

  it('decodes numbers', () => {
    const values = tokens('15 1.5 .5 5. 1e3 2.5E-2 0x1F 0o17 0b101 0').map((t) => t.value);
    expect(values).toEqual([15, 1.5, 0.5, 5, 1000, 0.025, 31, 15, 5, 0]);
  });

  it('decodes string escapes', () => {
    const [t] = tokens(String.raw`"a\nb\t\"q\" \'s\' \\ \x41 \u0042 \u{1F600} \0"`);
    expect(t!.value).toBe('a\nb\t"q" \'s\' \\ A B \u{1F600} \0');
    expect(tokens(`'it\\'s'`)[0]!.value).toBe("it's");
    expect(tokens(`"\\q"`)[0]!.value).toBe('q');
    expect(tokens(`'a\\\nb'`)[0]!.value).toBe('ab');
  });

  it('refuses an unterminated string, pointing at its quote', () => {
    expect(failure("r.x == 'abc")).toEqual({ code: 'EXPR_SYNTAX', message: 'unterminated string', offset: 7, length: 4, hint: "close it with '" });
    expect(failure('"abc\ndef"')).toMatchObject({ code: 'EXPR_SYNTAX', message: 'unterminated string', offset: 0, length: 4 });
    expect(failure('"abc\\')).toMatchObject({ code: 'EXPR_SYNTAX', message: 'unterminated string', offset: 4, length: 1 });
  });

  it('refuses bad escapes and bad numbers', () => {
    expect(failure('"\\x4"')).toEqual({ code: 'EXPR_SYNTAX', message: 'invalid escape sequence "\\x"', offset: 1, length: 2 });
    expect(failure('"\\u{110000}"')).toMatchObject({ code: 'EXPR_SYNTAX', offset: 1, length: 2 });
    expect(failure('"\\08"')).toMatchObject({ code: 'EXPR_SYNTAX', offset: 1, length: 2 });
    expect(failure('r + 10n')).toEqual({ code: 'EXPR_SYNTAX', message: 'invalid number "10n"', offset: 4, length: 3 });
    expect(failure('1_000')).toMatchObject({ code: 'EXPR_SYNTAX', message: 'invalid number "1_000"', offset: 0, length: 5 });
    expect(failure('010')).toMatchObject({ code: 'EXPR_SYNTAX', message: 'invalid number "010"', offset: 0, length: 3 });
  });

  it('refuses template literals, backslashes in names and stray characters', () => {
    expect(failure('`${r}`')).toMatchObject({ code: 'EXPR_FORBIDDEN', message: 'template literals are not allowed', offset: 0, length: 1 });
    expect(failure('r.\\u0063onstructor')).toEqual({ code: 'EXPR_SYNTAX', message: 'unexpected character "\\\\"', offset: 2, length: 1 });
    expect(failure('r.a # b')).toMatchObject({ code: 'EXPR_SYNTAX', message: 'unexpected character "#"', offset: 4 });
    expect(failure('r.é')).toMatchObject({ code: 'EXPR_SYNTAX', offset: 2, length: 1 });
  });

  it('allows any whitespace between tokens', () => {
    expect(tokens(' r\n.\ta ').map((t) => t.text)).toEqual(['r', '.', 'a']);
  });
});
