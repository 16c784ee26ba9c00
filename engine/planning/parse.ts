// Stage 2: YAML text -> a document whose nodes keep their source ranges. All syntax errors at once.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, YAMLParseError } from 'yaml';
import type { Node, YAMLError } from 'yaml';
import { FlowError, throwIfAny } from '../contract/errors.js';
import { explainBrackets } from './flow-brackets.js';
import { explainIndentation } from './indentation.js';
import { MAX_PIPELINE_BYTES, pipelineTooLarge } from './load.js';
import { rangeLocation } from './yaml-locate.js';
import type { PipelineSource } from './yaml-locate.js';

/** Aliases may expand to this many nodes in all; more is refused as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

/**
 * Collections may nest this deep. A pipeline needs a handful of levels; the stages after parsing
 * recurse, and YAML a thousand levels deep would overflow their stack.
 */
export const MAX_DEPTH = 64;

export function parsePipeline(text: string, file: string): PipelineSource {
  // loadPipeline refuses a large file unread; this is for text handed in directly (an editor's buffer).
  if (text.length > MAX_PIPELINE_BYTES) throw pipelineTooLarge(file, text.slice(0, MAX_PIPELINE_BYTES));
  const lineCounter = new LineCounter();
  // Not uniqueKeys: the parser compares each key with every earlier one (100k keys took 75 s); inspect() uses a Set.
  const doc = withPlainEnv(() => parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: false }));
  const src: PipelineSource = { file, text, doc, lineCounter, edits: new Map() };
  const shape = inspect(src);
  // The parser catches its own stack overflow on very deep YAML (what follows it would not), keeping
  // the levels above it: the first one too deep is among them.
  const overflow = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (overflow) throw tooDeep(src, shape.tooDeep ?? overflow.pos[0]);
  const errors = [...doc.errors, ...shape.duplicates].sort((a, b) => a.pos[0] - b.pos[0]);
  throwIfAny(
    explainPlaceholders(
      src,
      explainIndentation(src, explainBrackets(src, errors))
        .map((e) => (e instanceof FlowError ? e : syntaxError(src, e)))
        .sort(byPlace),
    ),
  );
  if (shape.tooDeep !== undefined) throw tooDeep(src, shape.tooDeep);
  checkAliases(src);
  return src;
}

const byPlace = (a: FlowError, b: FlowError) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);

/**
 * The parser reads process.env.LOG_TOKENS for every token, and process.env is a slow native lookup:
 * against a plain copy, a file of 100k keys parses in 60% of the time. Nothing else runs meanwhile.
 */
function withPlainEnv<T>(parse: () => T): T {
  const env = process.env;
  process.env = { ...env };
  try {
    return parse();
  } finally {
    process.env = env;
  }
}

/**
 * One pass over the document, without recursion: keys repeated within a mapping (the parser's own
 * error, found with a Set per mapping) and the first offset of a collection nested past MAX_DEPTH.
 */
function inspect(src: PipelineSource): { duplicates: YAMLParseError[]; tooDeep?: number } {
  const duplicates: YAMLParseError[] = [];
  let tooDeep: number | undefined;
  const stack: [unknown, number][] = [[src.doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_DEPTH) {
      const at = node.range?.[0] ?? 0;
      tooDeep = tooDeep === undefined ? at : Math.min(tooDeep, at);
      continue;
    }
    if (isSeq(node)) {
      for (const item of node.items) stack.push([item, depth + 1]);
      continue;
    }
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const key = pair.key;
      // The parser's notion of the same key: equal scalar values (NaN is never equal).
      if (isScalar(key) && key.range) {
        if (seen.has(key.value) && key.value === key.value)
          duplicates.push(new YAMLParseError([key.range[0], key.range[1]], 'DUPLICATE_KEY', 'Map keys must be unique'));
        seen.add(key.value);
      }
      stack.push([pair.key, depth + 1], [pair.value, depth + 1]);
    }
  }
  return tooDeep === undefined ? { duplicates } : { duplicates, tooDeep };
}

function tooDeep(src: PipelineSource, offset: number): FlowError {
  return new FlowError({
    code: 'YAML_TOO_DEEP',
    message: `the YAML nests more than ${MAX_DEPTH} levels deep here`,
    location: rangeLocation(src, offset, offset + 1),
    hint: 'a pipeline needs only a few levels of mappings and lists',
  });
}

function syntaxError(src: PipelineSource, e: YAMLError): FlowError {
  const [start] = e.pos;
  let end = Math.max(e.pos[1], start + 1);
  let message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
  if (e.code === 'MISSING_CHAR' && /closing (["'])quote/.test(e.message)) {
    // yaml reports an unclosed quote where the file ends; the opening quote is what to fix.
    const quote = /closing (["'])quote/.exec(e.message)![1]!;
    const open = src.text.lastIndexOf(quote, start - 1);
    if (open !== -1) {
      return new FlowError({
        code: 'YAML_SYNTAX',
        message: `a string opened with ${quote} is never closed`,
        location: rangeLocation(src, open, open + 1),
        hint: `close it with ${quote}`,
      });
    }
  }
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^[^:\n]*/.exec(src.text.slice(start))![0].trimEnd();
    message = `duplicate key ${JSON.stringify(key)}`;
    end = start + Math.max(1, key.length);
  }
  return new FlowError({
    code: 'YAML_SYNTAX',
    message,
    location: rangeLocation(src, start, end),
    ...(e.code === 'DUPLICATE_KEY' ? { hint: 'each key may appear once in a mapping' } : {}),
  });
}

/**
 * `{ end: ${{ params.n }} }` is not YAML: the braces of a bare placeholder inside a flow collection
 * throw the parser off for the rest of the file. When the file has syntax errors, such placeholders
 * are reported one error each, with only the errors on lines before the first of them.
 */
function explainPlaceholders(src: PipelineSource, errors: FlowError[]): FlowError[] {
  if (errors.length === 0) return errors;
  const lines = src.text.split('\n');
  const bare: FlowError[] = [];
  lines.forEach((line, i) => {
    for (const index of barePlaceholders(line)) {
      const text = /^\$\{\{[^}]*\}\}/.exec(line.slice(index))?.[0] ?? '${{';
      bare.push(
        new FlowError({
          code: 'YAML_SYNTAX',
          message: 'a ${{ }} placeholder inside { } or [ ] must be quoted',
          location: { file: src.file, line: i + 1, column: index + 1, length: text.length },
          hint: `write "${text}"`,
        }),
      );
    }
  });
  if (bare.length === 0) return errors;
  const firstLine = bare[0]!.location!.line;
  return [...errors.filter((e) => e.location !== undefined && e.location.line < firstLine), ...bare];
}

/** Indexes of `${{` outside quotes on a line that has a flow collection. */
function barePlaceholders(line: string): number[] {
  const found: number[] = [];
  let quote: string | undefined;
  let flow = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
    else if (line.startsWith('${{', i)) {
      if (flow > 0) found.push(i);
      i = Math.max(i, line.indexOf('}}', i) + 1);
    } else if (c === '{' || c === '[') flow++;
    else if (c === '}' || c === ']') flow--;
  }
  return found;
}

/** Expands aliases under a budget, so a billion-laughs document fails fast instead of eating memory. */
function checkAliases(src: PipelineSource): void {
  let first: Node | undefined;
  visit(src.doc, {
    Alias(_key, node) {
      first = node;
      return visit.BREAK;
    },
  });
  if (!first) return;
  try {
    src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const at = isAlias(first) && first.range ? rangeLocation(src, first.range[0], first.range[1]) : undefined;
    const message = (err as Error).message;
    if (/Excessive alias count/.test(message)) {
      throw new FlowError({
        code: 'YAML_ALIAS_LIMIT',
        message: `the aliases in this file expand to more than ${MAX_ALIAS_COUNT} nodes`,
        ...(at ? { location: at } : {}),
        hint: 'a document whose aliases multiply (an alias bomb) is refused; write the values out instead',
      });
    }
    throw new FlowError({ code: 'YAML_SYNTAX', message, ...(at ? { location: at } : {}) });
  }
}
