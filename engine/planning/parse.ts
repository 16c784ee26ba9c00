// Stage 2: YAML text -> a document whose nodes keep their source ranges. All syntax errors at once.
import { isAlias, LineCounter, parseDocument, visit } from 'yaml';
import type { Node, YAMLError } from 'yaml';
import { FlowError, throwIfAny } from '../contract/errors.js';
import { rangeLocation } from './yaml-locate.js';
import type { PipelineSource } from './yaml-locate.js';

/** Aliases may expand to this many nodes in all; more is refused as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

export function parsePipeline(text: string, file: string): PipelineSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const src: PipelineSource = { file, text, doc, lineCounter, edits: new Map() };
  throwIfAny(
    explainPlaceholders(
      src,
      doc.errors.map((e) => syntaxError(src, e)),
    ),
  );
  checkAliases(src);
  return src;
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
