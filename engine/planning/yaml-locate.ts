// Where a value lives in the pipeline file: option paths -> YAML nodes -> file:line:col.
import { isAlias, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';
import type { SourceLocation } from '../contract/errors.js';

export type Segment = string | number;

/** A piece of an interpolated string: `length` characters at `start` came from `from` (+`fromLength`) in the written value. */
export interface Piece {
  start: number;
  length: number;
  from: number;
  fromLength: number;
  /** A substituted placeholder: every offset inside it maps to the placeholder's start. */
  substituted: boolean;
}

/** An interpolated scalar: its value as written, and how the new value maps back to it. */
export interface Edit {
  written: string;
  pieces: Piece[];
  /** The value with each placeholder inserted as an expression literal, and its pieces: used where the option is an expression. */
  expression?: { value: string; pieces: Piece[] };
}

/** A parsed pipeline file: the text, the document (nodes keep ranges) and what interpolation changed. */
export interface PipelineSource {
  /** Absolute path. */
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  edits: Map<Scalar, Edit>;
}

/** `map[0].with.where`, `params["a b"]`. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** `where`, `fields.hour`, `a[0].b` -> segments. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(`"${m[3]}"`) as string);
  }
  return out;
}

interface Found {
  /** The node at the deepest segment that exists. */
  node: Node | null;
  /** The pair holding it, when it is a mapping value. */
  pair?: Pair;
  /** How many segments were found. */
  depth: number;
}

function deref(src: PipelineSource, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(src.doc) as Node | undefined) ?? node;
  return (node as Node | null) ?? null;
}

export function findNode(src: PipelineSource, segments: readonly Segment[]): Found {
  let node = deref(src, src.doc.contents);
  let pair: Pair | undefined;
  let depth = 0;
  for (const seg of segments) {
    let next: Node | null | undefined;
    let nextPair: Pair | undefined;
    if (isMap(node)) {
      nextPair = node.items.find((p) => keyText(p) === String(seg));
      next = nextPair ? deref(src, nextPair.value) : undefined;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = deref(src, node.items[seg]);
    }
    if (next === undefined) break;
    node = next;
    pair = nextPair;
    depth++;
  }
  return { node, depth, ...(pair ? { pair } : {}) };
}

function keyText(p: Pair): string {
  return isScalar(p.key) ? String(p.key.value) : String(p.key);
}

/** The location of a whole node (or a range), one line at most. */
export function rangeLocation(src: PipelineSource, start: number, end: number): SourceLocation {
  const pos = src.lineCounter.linePos(start);
  const nl = src.text.indexOf('\n', start);
  const lineEnd = nl === -1 ? src.text.length : nl;
  const length = Math.max(1, Math.min(end, lineEnd) - start);
  return { file: src.file, line: pos.line, column: pos.col, length };
}

/**
 * Where `segments` is written: its key (`key`), its value (`value`), or the mapping that should hold
 * it (`parent`, for a missing key). Falls back to the deepest node that exists.
 */
export function locate(src: PipelineSource | undefined, segments: readonly Segment[], which: 'key' | 'value' | 'parent'): SourceLocation | undefined {
  // A document built from a pipeline object (the programmatic API) has no text to point into.
  if (!src || !src.doc.range) return undefined;
  const target = which === 'parent' ? segments.slice(0, -1) : segments;
  const found = findNode(src, target);
  const complete = found.depth === target.length;
  if (complete && which === 'key' && found.pair && isScalar(found.pair.key) && found.pair.key.range) {
    const r = found.pair.key.range;
    return rangeLocation(src, r[0], r[1]);
  }
  const node = found.node;
  if (node?.range) {
    const end = which === 'parent' || isMap(node) || isSeq(node) ? node.range[0] + 1 : node.range[1];
    return rangeLocation(src, node.range[0], end);
  }
  return { file: src.file, line: 1, column: 1, length: 1 };
}

/** A location inside the string value at `segments`, `offset` characters into the value as it is now. */
export function locateInString(src: PipelineSource | undefined, segments: readonly Segment[], offset: number, length = 1): SourceLocation | undefined {
  if (!src) return undefined;
  const found = findNode(src, segments);
  const node = found.node;
  if (found.depth !== segments.length || !isScalar(node) || !node.range) return locate(src, segments, 'value');
  let from = offset;
  let end = offset + length;
  const edit = src.edits.get(node);
  if (edit) {
    from = unmapOffset(edit.pieces, offset);
    end = Math.max(from + 1, unmapOffset(edit.pieces, offset + length - 1) + 1);
  }
  const written = edit ? edit.written : typeof node.value === 'string' ? node.value : String(node.value);
  const start = scalarOffset(src.text, node, written, from);
  const stop = scalarOffset(src.text, node, written, end - 1) + 1;
  return rangeLocation(src, start, Math.max(start + 1, stop));
}

/** An offset in the interpolated value -> the offset in the value as written. */
function unmapOffset(pieces: Piece[], offset: number): number {
  for (const p of pieces) {
    if (offset < p.start + p.length) return p.substituted ? p.from : p.from + Math.min(offset - p.start, p.fromLength);
  }
  const last = pieces.at(-1);
  return last ? last.from + last.fromLength + (offset - last.start - last.length) : offset;
}

/**
 * The absolute source offset of character `offset` of a scalar's value: skips the opening quote or
 * block header, decodes double-quoted escapes, and walks past folding and indentation. Best effort:
 * falls back to the scalar's start.
 */
export function scalarOffset(text: string, node: Scalar, value: string, offset: number): number {
  const [start, end] = node.range!;
  let s = start;
  if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) s++;
  else if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) s = text.indexOf('\n', s) + 1;
  const double = node.type === Scalar.QUOTE_DOUBLE;
  let v = 0;
  while (s < end && v <= value.length) {
    if (v === offset && v === value.length) return s;
    if (double && text[s] === '\\') {
      const width = escapeWidth(text, s);
      if (width.chars > 0 && v + width.chars > offset) return s;
      v += width.chars;
      s += width.source;
      continue;
    }
    if (text[s] === value[v]) {
      if (v === offset) return s;
      v++;
    }
    s++;
  }
  return v >= offset && s <= end ? Math.min(s, end) : start;
}

function escapeWidth(text: string, s: number): { source: number; chars: number } {
  const c = text[s + 1];
  if (c === 'x') return { source: 4, chars: 1 };
  if (c === 'u') return { source: 6, chars: 1 };
  if (c === 'U') return { source: 10, chars: String.fromCodePoint(parseInt(text.slice(s + 2, s + 10), 16) || 0).length };
  if (c === '\n' || c === '\r') {
    let n = s + 1;
    while (n < text.length && /\s/.test(text[n]!)) n++;
    return { source: n - s, chars: 0 };
  }
  return { source: 2, chars: 1 };
}
