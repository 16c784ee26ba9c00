// Options that are expressions (`format: flow-expression` in a schema) take their placeholders as
// literals: interpolation prepared that form of each string (interpolate.ts); here it is swapped in
// where the schema says the value is an expression, built-in steps and plugins alike.
import { isScalar } from 'yaml';
import type { JSONSchema } from '../contract/step.js';
import { EXPRESSION_FORMAT } from './validate/validators.js';
import { findNode } from './yaml-locate.js';
import type { PipelineSource, Segment } from './yaml-locate.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The paths (relative to `value`) of the values `schema` marks as expressions, whatever their type. */
export function expressionPaths(schema: unknown, value: unknown, root: unknown = schema, seen = 0): Segment[][] {
  if (!isObject(schema) || seen > 32) return [];
  const found: Segment[][] = [];
  const inner = (s: unknown, v: unknown) => expressionPaths(s, v, root, seen + 1);
  if (schema.format === EXPRESSION_FORMAT && value !== undefined) found.push([]);
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    const target = schema.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (isObject(node) ? node[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
    found.push(...inner(target, value));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) for (const branch of schema[key] as unknown[]) found.push(...inner(branch, value));
  }
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const patterns = isObject(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
    for (const [key, item] of Object.entries(value)) {
      const own = Object.hasOwn(properties, key) ? [properties[key]] : [];
      const matching = patterns.filter(([pattern]) => new RegExp(pattern, 'u').test(key)).map(([, s]) => s);
      const subs = own.length > 0 || matching.length > 0 ? [...own, ...matching] : [schema.additionalProperties];
      for (const sub of subs) found.push(...inner(sub, item).map((p) => [key, ...p]));
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const sub = Array.isArray(schema.items) ? schema.items[i] : schema.items;
      found.push(...inner(sub, item).map((p) => [i, ...p]));
    });
  }
  return dedupe(found);
}

function dedupe(paths: Segment[][]): Segment[][] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = JSON.stringify(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * In `value` (what the document holds at `at`), each expression option that had a placeholder
 * becomes its literal form, and its edit maps offsets of that form back to the file, so errors in
 * the expression keep their columns. Mutates `value` and `src.edits`; returns the new `value`.
 */
export function insertLiterals(schema: JSONSchema, value: unknown, at: readonly Segment[], src: PipelineSource | undefined): unknown {
  if (!src || src.edits.size === 0) return value;
  let out = value;
  for (const rel of expressionPaths(schema, value)) {
    const node = findNode(src, [...at, ...rel]);
    if (node.depth !== at.length + rel.length || !isScalar(node.node)) continue;
    const edit = src.edits.get(node.node);
    if (!edit?.expression) continue;
    src.edits.set(node.node, { written: edit.written, pieces: edit.expression.pieces });
    if (rel.length === 0) out = edit.expression.value;
    else setIn(out, rel, edit.expression.value);
  }
  return out;
}

function setIn(target: unknown, rel: Segment[], v: string): void {
  let node = target as Record<string | number, unknown>;
  for (const seg of rel.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  node[rel.at(-1)!] = v;
}
