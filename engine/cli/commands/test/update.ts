// --update: each `expect:` value replaced in the text by the actual result. Nodes are found with the
// yaml Document API and only their text is replaced, so comments and formatting elsewhere stay as written.
import { Document, isCollection, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Node, type Scalar } from 'yaml';
import { pretty } from './diff.js';

export interface Update {
  /** The test's place in `tests:`. */
  index: number;
  value: unknown;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The text with the tests' `expect:` values replaced (or added after the test's last key); unchanged values stay byte for byte. */
export function updateExpectations(text: string, updates: Update[]): string {
  const doc = parseDocument(text, { intAsBigInt: true, uniqueKeys: false });
  const edits: Edit[] = [];
  for (const { index, value } of updates) {
    const test = doc.getIn(['tests', index], true);
    if (!isMap(test) || !test.range) continue;
    const pair = test.items.find((p) => isNode(p.key) && (p.key as Node & { value?: unknown }).value === 'expect');
    const old = pair && isNode(pair.value) ? pair.value : undefined;
    if (old?.range && !(old.range[0] === old.range[1])) replaceNode(text, doc, old, value, pair!.key as Node, edits);
    else if (pair?.key && isNode(pair.key) && pair.key.range) {
      // `expect:` with no value.
      const end = pair.key.range[1];
      const at = text.indexOf(':', end) + 1;
      const col = keyColumn(text, pair.key) + 2;
      edits.push({ start: at, end: lineEnd(text, at), text: flowOrBlock(value, col) });
    } else if (!test.flow) {
      // No `expect:` yet: a new last key of the test.
      const first = test.items[0]?.key;
      if (!isNode(first) || !first.range) continue;
      const col = keyColumn(text, first);
      const end = endOfContent(text, test.range[1]);
      edits.push({ start: end, end, text: `\n${' '.repeat(col)}expect:${flowOrBlock(value, col + 2)}` });
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/**
 * Replaces what differs: a list of the same length item by item, a mapping with the same keys value by
 * value, so that comments and layout between the parts stay; anything else whole.
 */
function replaceNode(text: string, doc: Document, old: Node, value: unknown, key: Node | undefined, edits: Edit[]): void {
  if (pretty(old.toJS(doc)) === pretty(value)) return;
  if (isSeq(old) && Array.isArray(value) && old.items.length === value.length && old.items.every((item) => isNode(item) && item.range)) {
    old.items.forEach((item, i) => replaceNode(text, doc, item as Node, value[i], undefined, edits));
    return;
  }
  if (isMap(old) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = old.items.map((p) => (isScalar(p.key) ? String(p.key.value) : undefined));
    const wanted = Object.keys(value);
    const sameKeys = keys.length === wanted.length && keys.every((k) => k !== undefined && wanted.includes(k));
    if (sameKeys && old.items.every((p) => isNode(p.value) && p.value.range && p.value.range[0] !== p.value.range[1])) {
      for (const p of old.items)
        replaceNode(text, doc, p.value as Node, (value as Record<string, unknown>)[String((p.key as Scalar).value)], p.key as Node, edits);
      return;
    }
  }
  const block = isCollection(old) && !old.flow;
  // A block collection's range runs to the next line: keep the line break and a comment after the value.
  const [start, end] = [old.range![0], block ? endOfValue(text, old) : old.range![1]];
  const column = start - text.lastIndexOf('\n', start - 1) - 1;
  const rendered = render(value, block ? column : undefined, old);
  // A value written on the key's line (`expect: []`, `expect: 5`) that became records or grew long goes on lines of its own.
  const ownLines = !block && key !== undefined && (isRecordList(value) || rendered.includes('\n') || rendered.length > 100);
  if (ownLines) edits.push({ start: trimBack(text, start), end, text: flowOrBlock(value, keyColumn(text, key) + 2) });
  else edits.push({ start, end, text: rendered });
}

function isRecordList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.some((item) => item !== null && typeof item === 'object');
}

/** A value's YAML: flow on one line when the old value was (or short enough), else block lines indented to `column`. */
function render(value: unknown, column: number | undefined, old?: Node): string {
  const doc = new Document(value);
  const flowItems = isSeq(old) && !old.flow && old.items.some((item) => isCollection(item) && item.flow);
  if (column === undefined && doc.contents && isCollection(doc.contents)) doc.contents.flow = true;
  if (flowItems && isSeq(doc.contents)) for (const item of doc.contents.items) if (isCollection(item)) item.flow = true;
  // As prettier writes them: `[1, 2]` and `{ a: 1 }`.
  const padding = !(Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object'));
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: padding }).replace(/\n$/, '');
  return column === undefined ? text : indent(text, column).trimStart();
}

/** A new value: on the `expect:` line when short, else block lines; a list of records one record a line. */
function flowOrBlock(value: unknown, column: number): string {
  const records = isRecordList(value);
  const flow = render(value, undefined);
  if (!records && !flow.includes('\n') && flow.length <= 100) return ` ${flow}`;
  return `\n${' '.repeat(column)}${render(value, column, records ? recordList : undefined)}`;
}

/** A model for render(): a block list of flow mappings. */
const recordList = new Document([{}]).contents as Node;
(recordList as unknown as { items: { flow: boolean }[] }).items[0]!.flow = true;

function indent(text: string, column: number): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${' '.repeat(column)}${line}`))
    .join('\n');
}

function keyColumn(text: string, key: Node): number {
  const start = key.range![0];
  return start - text.lastIndexOf('\n', start - 1) - 1;
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

function trimBack(text: string, at: number): number {
  let i = at;
  while (i > 0 && text[i - 1] === ' ') i--;
  return i;
}

/** Where a value's text ends: a block collection ends with its last item (a comment after it and the line break stay). */
function endOfValue(text: string, node: Node): number {
  if (isCollection(node) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    const child = isPair(last) ? (last.value ?? last.key) : last;
    if (isNode(child) && child.range) return endOfValue(text, child);
  }
  return endOfContent(text, node.range![1]);
}

/** Before the trailing newlines and blank lines of a node's range. */
function endOfContent(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}
