// Stage 3: replace ${{ params.NAME }} and ${{ env.NAME }} in scalar values, before validation.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, Scalar } from 'yaml';
import { FlowError, throwIfAny } from '../contract/errors.js';
import type { ErrorCode } from '../contract/errors.js';
import { didYouMean } from '../contract/suggest.js';
import { expressionInsert, quotesAround } from './expression-text.js';
import { formatPath, locateInString } from './yaml-locate.js';
import type { Piece, PipelineSource, Segment } from './yaml-locate.js';

export interface InterpolateOptions {
  /** `--set k=v` overrides; values are typed like YAML scalars. */
  set?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** `flow validate --offline`: an undefined env variable is unknown, not an error. */
  offline?: boolean;
}

/** `--set n=30` is 30, `flag=true` is true, `s=abc` is "abc"; anything but a plain scalar stays text. */
export function typeSetValue(text: string): unknown {
  if (text.trim() === '') return text;
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0 || !isScalar(doc.contents) || doc.contents.type !== 'PLAIN') return text;
  return doc.contents.value;
}

interface Issue {
  code: ErrorCode;
  offset: number;
  length: number;
  message: string;
  hint?: string;
}

export interface Substitution {
  value: unknown;
  pieces: Piece[];
  issues: Issue[];
  /** The string with each placeholder inserted as an expression literal, for options that are expressions. */
  expression?: { value: string; pieces: Piece[] };
}

type Scope = { params?: Record<string, unknown>; env: NodeJS.ProcessEnv; used?: Set<string>; offline?: boolean };

const PLACEHOLDER = /\$\{\{([\s\S]*?)\}\}/g;
const REFERENCE = /^(params|env)\.([A-Za-z_][\w-]*)$/;

/** An interpolated string and how it maps back to the written one. */
class Builder {
  out = '';
  pieces: Piece[] = [];
  constructor(private readonly text: string) {}
  keep(from: number, to: number): void {
    this.pieces.push({ start: this.out.length, length: to - from, from, fromLength: to - from, substituted: false });
    this.out += this.text.slice(from, to);
  }
  put(from: number, fromLength: number, replacement: string): void {
    this.pieces.push({ start: this.out.length, length: replacement.length, from, fromLength, substituted: true });
    this.out += replacement;
  }
}

/**
 * Substitutes the placeholders of one string. A string that is exactly one placeholder takes the
 * value's type. Offline, an undefined env variable is unknown: it stays as written (and is `null`
 * in the expression form), so what does not depend on it can still be checked.
 */
export function substitute(text: string, scope: Scope): Substitution {
  const issues: Issue[] = [];
  const plain = new Builder(text);
  const expr = new Builder(text);
  let last = 0;
  let whole: { value: unknown } | undefined;
  const unclosed = text.indexOf('${{', text.lastIndexOf('}}') + 1);
  if (unclosed !== -1 && text.indexOf('}}', unclosed) === -1) {
    issues.push({
      code: 'BAD_PLACEHOLDER',
      offset: unclosed,
      length: text.length - unclosed,
      message: 'a "${{" with no closing "}}"',
      hint: 'close it: ${{ params.NAME }}',
    });
  }
  let matched = false;
  const all = [...text.matchAll(PLACEHOLDER)];
  const quotes = quotesAround(
    text,
    all.map((m) => ({ offset: m.index, length: m[0].length })),
  );
  for (const [k, m] of all.entries()) {
    const offset = m.index;
    const length = m[0].length;
    const found = lookup(m[1]!.trim(), scope);
    if ('issue' in found) {
      issues.push({ ...found.issue, offset, length });
      continue;
    }
    matched = true;
    const known = 'value' in found;
    if (offset === 0 && length === text.length) whole = { value: known ? found.value : m[0] };
    if (offset > last) {
      plain.keep(last, offset);
      expr.keep(last, offset);
    }
    if (known) plain.put(offset, length, toText(found.value));
    else plain.keep(offset, offset + length);
    expr.put(offset, length, expressionInsert(known ? found.value : undefined, known, quotes[k]));
    last = offset + length;
  }
  if (matched && last < text.length) {
    plain.keep(last, text.length);
    expr.keep(last, text.length);
  }
  if (!matched) return { value: text, pieces: [], issues };
  return { value: whole ? whole.value : plain.out, pieces: plain.pieces, issues, expression: { value: expr.out, pieces: expr.pieces } };
}

function toText(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function lookup(inner: string, scope: Scope): { value: unknown } | { unknown: true } | { issue: Omit<Issue, 'offset' | 'length'> } {
  const m = REFERENCE.exec(inner);
  if (!m) {
    const [head, ...rest] = inner.split('.');
    const near = rest.length > 0 && head ? didYouMean(head, ['params', 'env']) : undefined;
    return {
      issue: {
        code: 'BAD_PLACEHOLDER',
        message: `"\${{ ${inner} }}" is not a placeholder flow knows`,
        hint: near ? `did you mean \`\${{ ${near}.${rest.join('.')} }}\`?` : 'write ${{ params.NAME }} or ${{ env.NAME }}',
      },
    };
  }
  const [, kind, name] = m as unknown as [string, 'params' | 'env', string];
  if (kind === 'env') {
    // Own variables only: `env.toString` or `env.__proto__` must not find what Object.prototype holds.
    const value = Object.hasOwn(scope.env, name) ? scope.env[name] : undefined;
    if (value !== undefined) return { value };
    if (scope.offline) return { unknown: true };
    const near = didYouMean(name, Object.keys(scope.env));
    return {
      issue: {
        code: 'UNDEFINED_ENV',
        message: `the environment variable ${name} is not set`,
        hint: near ? `did you mean \`${near}\`?` : `set ${name} in the environment`,
      },
    };
  }
  if (!scope.params) {
    return {
      issue: {
        code: 'BAD_PLACEHOLDER',
        message: `params cannot refer to params ("\${{ params.${name} }}")`,
        hint: 'params defaults may only use ${{ env.NAME }}',
      },
    };
  }
  if (Object.hasOwn(scope.params, name)) {
    scope.used?.add(name);
    return { value: scope.params[name] };
  }
  const known = Object.keys(scope.params);
  const near = didYouMean(name, known);
  return {
    issue: {
      code: 'UNDEFINED_PARAM',
      message: `no param named ${name}`,
      hint: near
        ? `did you mean \`${near}\`?`
        : known.length > 0
          ? `known params: ${known.join(', ')}`
          : `declare it under params: or pass --set ${name}=VALUE`,
    },
  };
}

/**
 * Substitutes placeholders in every scalar value of the document, in place, recording how each
 * changed string maps back to the written one. Returns the params in effect. Throws all issues at once.
 */
export function interpolatePipeline(src: PipelineSource, opts: InterpolateOptions = {}): Record<string, unknown> {
  const env = opts.env ?? process.env;
  const offline = opts.offline === true;
  const errors: FlowError[] = [];
  const root = src.doc.contents;
  const paramsPair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'params') : undefined;
  // params defaults may use env only; then --set overrides them.
  if (paramsPair) walk(src, paramsPair.value as Node, ['params'], { env, offline }, errors);
  const params: Record<string, unknown> = {};
  const written: unknown = paramsPair && isMap(paramsPair.value) ? paramsPair.value.toJS(src.doc) : undefined;
  if (written && typeof written === 'object') {
    for (const [k, v] of Object.entries(written)) Object.defineProperty(params, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  for (const [k, v] of Object.entries(opts.set ?? {}))
    Object.defineProperty(params, k, { value: typeSetValue(v), enumerable: true, writable: true, configurable: true });
  const used = new Set<string>();
  if (isMap(root)) {
    for (const pair of root.items) {
      if (pair === paramsPair) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      walk(src, pair.value as Node, [key], { params, env, used, offline }, errors);
    }
  } else if (root) {
    walk(src, root, [], { params, env, used, offline }, errors);
  }
  // A --set that neither overrides a declared param nor feeds a placeholder is most likely a typo.
  const declared = written && typeof written === 'object' ? Object.keys(written) : [];
  for (const name of Object.keys(opts.set ?? {})) {
    if (declared.includes(name) || used.has(name)) continue;
    const near = didYouMean(name, declared);
    errors.push(
      new FlowError({
        code: 'BAD_ARGS',
        message: `--set ${name}: the pipeline has no param ${name}`,
        hint: near ? `did you mean \`${near}\`?` : declared.length > 0 ? `its params: ${declared.join(', ')}` : 'it declares no params:',
      }),
    );
  }
  throwIfAny(errors);
  return params;
}

function walk(src: PipelineSource, node: Node | null, path: Segment[], scope: Scope, errors: FlowError[]): void {
  if (isMap(node)) {
    for (const pair of node.items) walk(src, pair.value as Node, [...path, isScalar(pair.key) ? String(pair.key.value) : String(pair.key)], scope, errors);
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walk(src, item as Node, [...path, i], scope, errors));
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${{')) {
    const result = substitute(node.value, scope);
    for (const issue of result.issues) {
      const location = locateInString(src, path, issue.offset, issue.length);
      errors.push(
        new FlowError({
          code: issue.code,
          message: issue.message,
          ...(location ? { location } : {}),
          path: formatPath(path),
          ...(issue.hint ? { hint: issue.hint } : {}),
        }),
      );
    }
    if (result.issues.length > 0) return;
    if (result.expression) src.edits.set(node as Scalar, { written: node.value, pieces: result.pieces, expression: result.expression });
    (node as Scalar).value = result.value;
  }
}
