// Projection for NDJSON: the wanted top-level fields of a line without JSON.parse of the whole line.
// A hand-written scan of a flat object; anything it does not handle (nested values, escaped keys,
// non-objects, malformed text, a number beyond a double, a repeated key) falls back to parseExact of the line and
// `pick`, so that the result, or the error thrown, is always that of parseExact-then-pick (JSON.parse's,
// with integers past 2^53 exact as BigInts: exact-json.ts).
import { setField } from '../../kit/record.js';
import { parseExact } from './exact-json.js';
import { compileShape, type Shape } from './ndjson-shape.js';
import { FAIL, value, ws } from './ndjson-values.js';
import { repeated } from './repeated-keys.js';

/** A projected line text[start, end): what parseExact gives, only `fields` kept when it is an object. */
export type LinePicker = (text: string, start: number, end: number) => unknown;

/** The wanted fields of a parsed value, in the order of `fields`; arrays and primitives unchanged. */
export function pick(value: unknown, fields: readonly string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  const src = value as Record<string, unknown>;
  for (const f of fields) if (Object.hasOwn(src, f)) setField(out, f, src[f]);
  return out;
}

const MAX_SHAPES = 64;

/** Scanner state, one per reader. Value scanners write wanted values into `values[k]`. */
class Scan {
  readonly fields: string[];
  readonly n: number;
  readonly lengths: number[];
  readonly values: unknown[];
  readonly seen: Int32Array;
  gen = 0;
  /** Where the keys of the line being scanned start and end, to find a repeated one. */
  readonly froms: number[] = [];
  readonly tos: number[] = [];
  /** The shape of the last compact line scanned in full; shapes already compiled, by their keys. */
  shape: Shape | undefined;
  shapes = new Map<string, Shape>();
  /** Whole records (wholeLinePicker): a shape keeps every key of its lines. */
  whole = false;

  constructor(fields: readonly string[]) {
    this.fields = [...new Set(fields)];
    this.n = this.fields.length;
    this.lengths = this.fields.map((f) => f.length);
    this.values = new Array<unknown>(this.n).fill(undefined);
    this.seen = new Int32Array(this.n);
  }
}

/** A picker of `fields` for lines text[start, end). */
export function linePicker(fields: readonly string[]): LinePicker {
  const st = new Scan(fields);
  return (s, start, end) => {
    const shape = st.shape;
    if (shape !== undefined) {
      shape.re.lastIndex = start;
      const m = shape.re.exec(s);
      if (m !== null && shape.re.lastIndex === end) return shape.make(m);
    }
    if (general(st, s, start, end)) return build(st);
    return pick(parseExact(s.slice(start, end)), st.fields);
  };
}

function build(st: Scan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let k = 0; k < st.n; k++) if (st.seen[k] === st.gen) setField(out, st.fields[k]!, st.values[k]);
  return out;
}

/**
 * Whole records: what parseExact gives for a line. A compact flat line of a known shape (its keys in
 * order, each once) is matched by the shape's RegExp and built by one object literal, in the line's
 * key order as JSON.parse makes it; any other line goes to parseExact, which checks for a repeated
 * key. A line that matches a shape has no repeated key: shapes are learned from lines without one.
 */
export function wholeLinePicker(): LinePicker {
  const st = new Scan([]);
  st.whole = true;
  const shaped = (s: string, start: number, end: number): Record<string, unknown> | undefined => {
    const shape = st.shape!;
    shape.re.lastIndex = start;
    const m = shape.re.exec(s);
    return m !== null && shape.re.lastIndex === end ? shape.make(m) : undefined;
  };
  return (s, start, end) => {
    const known = st.shape && shaped(s, start, end);
    if (known) return known;
    const before = st.shape;
    // A flat line without a repeated key may teach a new shape, then read by it.
    const learned = general(st, s, start, end) && st.shape !== before ? shaped(s, start, end) : undefined;
    return learned ?? parseExact(s.slice(start, end));
  };
}

/** Remembers the shape of a compact line; compiles at most MAX_SHAPES, for files whose lines all differ. */
function learn(st: Scan, keys: string[], slots: number[]): void {
  const id = keys.join('"'); // a raw key holds no '"'
  let shape = st.shapes.get(id);
  if (shape === undefined) {
    if (st.shapes.size >= MAX_SHAPES) return;
    shape = st.whole
      ? compileShape(
          keys,
          keys.map((_, k) => k),
          keys,
        )
      : compileShape(keys, slots, st.fields);
    st.shapes.set(id, shape);
  }
  st.shape = shape;
}

/** Any flat object, blanks allowed; remembers the shape of a compact line. False: needs JSON.parse. */
function general(st: Scan, s: string, start: number, end: number): boolean {
  const gen = ++st.gen;
  const keys: string[] = [];
  const slots: number[] = [];
  const { froms, tos } = st;
  froms.length = 0;
  tos.length = 0;
  let compact = true;
  let i = ws(s, start, end);
  if (i >= end || s.charCodeAt(i) !== 123) return false;
  let j = ws(s, i + 1, end);
  compact &&= j === i + 1;
  i = j;
  if (s.charCodeAt(i) !== 125) {
    for (;;) {
      if (i >= end || s.charCodeAt(i) !== 34) return false;
      const from = i + 1;
      for (j = from; j < end; j++) {
        const c = s.charCodeAt(j);
        if (c === 34) break;
        if (c === 92 || c < 32) return false; // an escaped key: JSON.parse decodes it
      }
      if (j >= end) return false;
      const k = slot(st, s, from, j);
      froms.push(from);
      tos.push(j);
      i = ws(s, j + 1, end);
      compact &&= i === j + 1;
      if (i >= end || s.charCodeAt(i) !== 58) return false;
      if (compact) {
        keys.push(s.slice(from, j));
        slots.push(k);
      }
      j = ws(s, i + 1, end);
      compact &&= j === i + 1;
      i = value(st, s, j, end, k);
      if (i === FAIL) return false;
      if (k >= 0) st.seen[k] = gen;
      j = ws(s, i, end);
      compact &&= j === i;
      i = j;
      if (i >= end) return false;
      const c = s.charCodeAt(i);
      if (c === 125) break;
      if (c !== 44) return false;
      j = ws(s, i + 1, end);
      compact &&= j === i + 1;
      i = j;
    }
  }
  if (ws(s, i + 1, end) !== end) return false;
  // A repeated key is an error: parseExact names it. A learned shape never has one.
  if (froms.length > 1 && repeated(s, froms, tos)) return false;
  if (compact && i + 1 === end && keys.length > 0) learn(st, keys, slots);
  return true;
}

/** The slot of the key s[from, to), or -1 when it is not wanted. */
function slot(st: Scan, s: string, from: number, to: number): number {
  const len = to - from;
  for (let k = 0; k < st.n; k++) if (st.lengths[k] === len && s.startsWith(st.fields[k]!, from)) return k;
  return -1;
}
