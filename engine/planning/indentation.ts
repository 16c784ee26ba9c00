// A key indented deeper than the key above it (`with:` under `- step: filter`) is read by the YAML
// parser as the continuation of that key's value, and reported at the value above as two parser
// messages. The line to fix is the deeper one: one error there, saying how far to indent it.
import type { YAMLError } from 'yaml';
import { FlowError } from '../contract/errors.js';
import type { PipelineSource } from './yaml-locate.js';

const CODES = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);
// What precedes a value on its line: indentation, list dashes, and the key.
const KEY_BEFORE = /^(\s*(?:-\s+)*)([^\s:#'"][^:#]*?)\s*:\s+$/;
const KEY_AT_START = /^(\s*)([^\s:#'"-][^:#]*?)\s*:(\s|$)/;

/** The parser's errors with each over-indented key's pair replaced by one error at that key. */
export function explainIndentation(src: PipelineSource, errors: (YAMLError | FlowError)[]): (YAMLError | FlowError)[] {
  const explained = new Map<number, FlowError>();
  for (const e of errors) {
    if (e instanceof FlowError || !CODES.has(e.code) || explained.has(e.pos[0])) continue;
    const found = overIndented(src, e.pos[0]);
    if (found) explained.set(e.pos[0], found);
  }
  if (explained.size === 0) return errors;
  const out: (YAMLError | FlowError)[] = [];
  for (const e of errors) {
    const found = !(e instanceof FlowError) && CODES.has(e.code) ? explained.get(e.pos[0]) : undefined;
    if (!found) out.push(e);
    else if (!out.includes(found)) out.push(found);
  }
  return out;
}

function overIndented(src: PipelineSource, offset: number): FlowError | undefined {
  const lines = src.text.split('\n');
  const { line, col } = src.lineCounter.linePos(offset);
  const above = KEY_BEFORE.exec(lines[line - 1]?.slice(0, col - 1) ?? '');
  if (!above) return undefined;
  const keyColumn = above[1]!.length;
  for (let i = line; i < lines.length; i++) {
    const text = lines[i]!;
    if (/^\s*(#|$)/.test(text)) continue;
    const next = KEY_AT_START.exec(text);
    if (!next || next[1]!.length <= keyColumn) return undefined;
    const [key, over] = [next[2]!, above[2]!];
    return new FlowError({
      code: 'YAML_SYNTAX',
      message: `\`${key}:\` is indented deeper than \`${over}:\` on the line above`,
      location: { file: src.file, line: i + 1, column: next[1]!.length + 1, length: key.length },
      hint: `indent \`${key}:\` like \`${over}:\` (${keyColumn} spaces): keys of one mapping line up`,
    });
  }
  return undefined;
}
