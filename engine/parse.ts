// Stage 2: YAML text -> a document whose nodes keep their source ranges. All syntax errors at once.
import { isAlias, LineCounter, parseDocument, visit } from 'yaml';
import type { Node, YAMLError } from 'yaml';
import { FlowError, throwIfAny } from './errors.js';
import { rangeLocation } from './yaml-locate.js';
import type { PipelineSource } from './yaml-locate.js';

/** Aliases may expand to this many nodes in all; more is refused as an alias bomb. */
export const MAX_ALIAS_COUNT = 100;

export function parsePipeline(text: string, file: string): PipelineSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const src: PipelineSource = { file, text, doc, lineCounter, edits: new Map() };
  throwIfAny(doc.errors.map((e) => syntaxError(src, e)));
  checkAliases(src);
  return src;
}

function syntaxError(src: PipelineSource, e: YAMLError): FlowError {
  const [start, end] = e.pos;
  let message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
  if (e.code === 'DUPLICATE_KEY') message = `duplicate key ${JSON.stringify(src.text.slice(start, end).trim())}`;
  return new FlowError({
    code: 'YAML_SYNTAX',
    message,
    location: rangeLocation(src, start, Math.max(end, start + 1)),
    ...(e.code === 'DUPLICATE_KEY' ? { hint: 'each key may appear once in a mapping' } : {}),
  });
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
