// An unclosed `{` or `[` is reported by the YAML parser where it gives up on the collection (the next
// line, or the file's end) with "must be sufficiently indented and end with a }". The place to fix is
// the bracket: the parser's own lexer (which knows quotes, comments and plain scalars) gives every
// bracket, and they are matched here to say which one is never closed, or which closer is wrong.
import { CST, Lexer } from 'yaml';
import type { YAMLError } from 'yaml';
import { FlowError } from '../contract/errors.js';
import { rangeLocation } from './yaml-locate.js';
import type { PipelineSource } from './yaml-locate.js';

const PARSER_MESSAGES = /^(Flow (map|sequence) in block collection|Unexpected flow-(seq|map)-end token)/;
const CLOSER: Record<string, string> = { '{': '}', '[': ']' };
const KIND: Record<string, string> = { '{': 'mapping', '[': 'list' };
// The lexer's control tokens (document start, the end of a flow collection cut short, a scalar's
// start) stand for no text.
const NO_TEXT = new Set(['\x02', '\x18', '\x1f']);

interface Opener {
  bracket: string;
  at: number;
}

/** The parser's bracket errors replaced by one error per bracket problem, when the brackets explain them. */
export function explainBrackets(src: PipelineSource, errors: YAMLError[]): (YAMLError | FlowError)[] {
  if (!errors.some(isBracketError)) return errors;
  const found = bracketProblems(src);
  if (!found) return errors;
  return [...errors.filter((e) => !isBracketError(e)), ...found];
}

function isBracketError(e: YAMLError): boolean {
  return (e.code === 'BAD_INDENT' || e.code === 'UNEXPECTED_TOKEN') && PARSER_MESSAGES.test(e.message);
}

/** The problems found; undefined when the brackets match (the parser's errors are then about something else). */
function bracketProblems(src: PipelineSource): FlowError[] | undefined {
  const problems: FlowError[] = [];
  const open: Opener[] = [];
  // Openers whose collection the lexer cut short at a line indented too little, and where.
  let cut: { openers: Opener[]; at: number } | undefined;
  let offset = 0;
  let last = '';
  for (const token of new Lexer().lex(src.text)) {
    const at = offset;
    if (!NO_TEXT.has(token)) offset += token.length;
    const type = CST.tokenType(token);
    if (type !== 'space' && type !== 'newline' && type !== 'comment' && !NO_TEXT.has(token)) last = token;
    if (type === 'flow-map-start' || type === 'flow-seq-start') open.push({ bracket: token, at });
    else if (type === 'flow-error-end' && open.length > 0) {
      if (cut) problems.push(...cut.openers.map((o) => cutShort(src, o, cut!.at)));
      cut = { openers: open.splice(0), at };
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      const top = open.at(-1);
      if (top && CLOSER[top.bracket] === token) open.pop();
      else if (top) {
        const below = open.length > 1 && CLOSER[open.at(-2)!.bracket] === token;
        problems.push(wrongCloser(src, top, token, at, below));
        open.splice(below ? -2 : -1);
      } else {
        const opener = cut?.openers.findLast((o) => CLOSER[o.bracket] === token);
        if (cut && opener) {
          problems.push(underIndented(src, opener, cut.at));
          cut.openers = cut.openers.filter((o) => o !== opener);
        } else problems.push(closesNothing(src, token, at));
      }
    }
  }
  if (cut) problems.push(...cut.openers.map((o) => cutShort(src, o, cut!.at)));
  // Brackets still open where an unclosed quote ran to the end of the file: the quote is the fault.
  if (open.length > 0 && unclosedQuote(last)) return problems;
  problems.push(...open.map((o) => neverClosed(src, o)));
  return problems.length > 0 ? problems : undefined;
}

/**
 * An opener whose collection a line indented too little cut short: when that line or one after it
 * ends with its closer, the lines were meant to be inside and are the fault; else the closer is missing.
 */
function cutShort(src: PipelineSource, opener: Opener, lineStart: number): FlowError {
  const closer = CLOSER[opener.bracket]!;
  for (const line of src.text.slice(lineStart).split('\n').slice(0, 20)) {
    const text = line.replace(/\s#.*$/, '').trimEnd();
    // More closers than openers: the line ends a collection begun above it (`r.x{1}` is a plain scalar).
    if (text.endsWith(closer) && text.split(closer).length > text.split(opener.bracket).length) return underIndented(src, opener, lineStart);
    if (text.endsWith(':')) break;
  }
  return neverClosed(src, opener);
}

function neverClosed(src: PipelineSource, opener: Opener): FlowError {
  const closer = CLOSER[opener.bracket]!;
  return new FlowError({
    code: 'YAML_SYNTAX',
    message: `a ${KIND[opener.bracket]} opened with ${opener.bracket} is never closed`,
    location: rangeLocation(src, opener.at, opener.at + 1),
    hint: `close it with ${closer}`,
  });
}

function wrongCloser(src: PipelineSource, top: Opener, closer: string, at: number, closesBelow: boolean): FlowError {
  const { line, col } = src.lineCounter.linePos(top.at);
  const expected = CLOSER[top.bracket]!;
  return new FlowError({
    code: 'YAML_SYNTAX',
    message: closesBelow
      ? `the ${KIND[top.bracket]} opened with ${top.bracket} at ${line}:${col} is not closed before this ${closer}`
      : `this ${closer} does not close the ${KIND[top.bracket]} opened with ${top.bracket} at ${line}:${col}`,
    location: rangeLocation(src, at, at + 1),
    hint: closesBelow ? `write ${expected} before the ${closer}` : `write ${expected} here`,
  });
}

function underIndented(src: PipelineSource, opener: Opener, lineStart: number): FlowError {
  const { line, col } = src.lineCounter.linePos(opener.at);
  const text = src.text.slice(lineStart);
  const indent = /^[ \t]*/.exec(text)![0].length;
  const width = Math.max(1, /^[^\n]*/.exec(text.slice(indent))![0].trimEnd().length);
  return new FlowError({
    code: 'YAML_SYNTAX',
    message: `this line is inside the ${KIND[opener.bracket]} opened with ${opener.bracket} at ${line}:${col}, but is not indented deeper than the line it starts on`,
    location: rangeLocation(src, lineStart + indent, lineStart + indent + width),
    hint: `indent it deeper than line ${line}, or keep the ${opener.bracket} ${CLOSER[opener.bracket]} on one line`,
  });
}

function closesNothing(src: PipelineSource, closer: string, at: number): FlowError {
  return new FlowError({
    code: 'YAML_SYNTAX',
    message: `this ${closer} closes nothing`,
    location: rangeLocation(src, at, at + 1),
    hint: `remove it, or add the ${closer === '}' ? '{' : '['} it was meant to close`,
  });
}

/** Whether the token is a quoted scalar the lexer ran to the end of the file without its closing quote. */
function unclosedQuote(token: string): boolean {
  const quote = token[0];
  if (quote !== '"' && quote !== "'") return false;
  if (token.length < 2 || !token.endsWith(quote)) return true;
  if (quote === "'") return false;
  const backslashes = /\\*$/.exec(token.slice(0, -1))![0].length;
  return backslashes % 2 === 1;
}
