// ajv errors -> located FlowErrors: one clear error per real problem, no oneOf cascades.
import type { ErrorObject } from 'ajv';
import { FlowError } from '../../contract/errors.js';
import type { ErrorCode } from '../../contract/errors.js';
import type { JSONSchema } from '../../contract/step.js';
import { didYouMean } from '../../contract/suggest.js';
import { formatPath, locate } from '../yaml-locate.js';
import type { PipelineSource, Segment } from '../yaml-locate.js';
import { sayOtherFormOnce } from './other-form.js';
import { compileSchema } from './validators.js';

/** A step's options validator: fills in defaults; throws if the schema is not valid JSON Schema. */
export function optionValidator(schema: JSONSchema) {
  return compileSchema(schema, true);
}

function pointerSegments(pointer: string, data: unknown): Segment[] {
  const out: Segment[] = [];
  let cursor = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: Segment = Array.isArray(cursor) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(key);
    cursor = cursor !== null && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[seg] : undefined;
  }
  return out;
}

function valueAt(data: unknown, segments: Segment[]): unknown {
  let cursor = data;
  for (const seg of segments) cursor = cursor !== null && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[seg] : undefined;
  return cursor;
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

const typeNames: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/** "an integer >= 1", "\"auto\"", "a string like ..." for a oneOf branch. */
function describe(schema: JSONSchema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' or ');
  const types = ([] as unknown[]).concat(schema.type ?? []).map((t) => typeNames[String(t)] ?? String(t));
  let text = types.length > 0 ? types.join(' or ') : 'a value';
  const keys = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  if (schema.type === 'object' && keys.length > 0) text += ` with ${keys.map((k) => `\`${k}\``).join(', ')}`;
  if (typeof schema.minimum === 'number') text += ` >= ${schema.minimum}`;
  if (typeof schema.description === 'string' && types.length === 0) text = schema.description;
  if (schema.pattern && typeof schema.description === 'string') text = schema.description;
  else if (schema.pattern) text += ` matching ${String(schema.pattern)}`;
  return text;
}

function matchesType(value: unknown, schema: JSONSchema): boolean {
  if ('const' in schema) return typeof schema.const === typeof value;
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).some((v) => typeof v === typeof value);
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if (types.length === 0) return true;
  return types.some((t) => t === jsonKind(value) || (t === 'number' && typeof value === 'number') || (t === 'integer' && typeof value === 'number'));
}

function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Drops the errors a failed oneOf/anyOf produced in its branches: the oneOf itself says it once. But
 * when a mapping names the key that picks one branch (`{ sum: 3 }`), that branch's errors say it better.
 */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const all = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const picked = new Map(all.map((u) => [u, chosenBranch(u)]));
  // A branch's error: under the union's schema path and its value (two keys may share one schema).
  const under = (e: ErrorObject, u: ErrorObject, branch = '') =>
    e !== u && e.schemaPath.startsWith(`${u.schemaPath}/${branch}`) && (e.instancePath + '/').startsWith(`${u.instancePath}/`);
  const out = errors.filter(
    (e) => picked.get(e) === undefined && !all.some((u) => under(e, u) && (picked.get(u) === undefined || !under(e, u, `${picked.get(u)}/`))),
  );
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One FlowError per problem. `base` is where `data` (as written, before defaults) sits in the
 * pipeline (e.g. `['map', 0, 'with']`), so paths read `map[0].with.where` and locations point at the YAML node.
 */
export function schemaErrors(errors: ErrorObject[] | null | undefined, data: unknown, base: Segment[], src: PipelineSource | undefined): FlowError[] {
  const out = collapse(errors ?? []).map((e) => toFlowError(e, data, base, src));
  // `sourse:` explains a missing `source`: report the typo once, not the absence too.
  const explained = new Set(
    out.filter((e) => e.code === 'UNKNOWN_KEY' && e.hint?.startsWith('did you mean')).map((e) => `${parentOf(e.path)}|${/`([^`]+)`/.exec(e.hint!)?.[1]}`),
  );
  const kept = out.filter((e) => !(e.code === 'MISSING_KEY' && explained.has(`${parentOf(e.path)}|${lastOf(e.path)}`)));
  // Each mapping an error is about, by its path: sayOtherFormOnce asks which keys it has.
  const written = new Map(
    (errors ?? []).map((e) => {
      const segments = pointerSegments(e.instancePath, data);
      return [formatPath([...base, ...segments]), valueAt(data, segments)];
    }),
  );
  const keysAt = (path: string) => {
    const value = written.get(path);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : undefined;
  };
  return sayOtherFormOnce(kept, keysAt, parentOf);
}

/** The branches of a oneOf that are mappings told apart by one required key: `{sum: field}`, `{mean: field}`. */
function keyedBranches(u: ErrorObject): Map<string, number> {
  const keyed = new Map<string, number>();
  ((u.schema ?? []) as JSONSchema[]).forEach((b, i) => {
    if (typeof b === 'object' && b.type === 'object' && Array.isArray(b.required) && b.required.length === 1) keyed.set(String(b.required[0]), i);
  });
  return keyed;
}

/** The branch a mapping picks by naming exactly one branch's key, if any. */
function chosenBranch(u: ErrorObject): number | undefined {
  if (u.data === null || typeof u.data !== 'object' || Array.isArray(u.data)) return undefined;
  const keyed = keyedBranches(u);
  const named = Object.keys(u.data).filter((k) => keyed.has(k));
  return named.length === 1 ? keyed.get(named[0]!) : undefined;
}

/** `cnt` for `count`, `{ maen: x }` for `{ mean: x }`: the near miss of a choice, as a short error. */
function nearChoice(u: ErrorObject): { key?: string; near: string } | undefined {
  const branches = ((u.schema ?? []) as JSONSchema[]).filter((b) => typeof b === 'object');
  if (typeof u.data === 'string') {
    const words = branches.flatMap((b) => ('const' in b ? [b.const] : Array.isArray(b.enum) ? b.enum : [])).filter((w): w is string => typeof w === 'string');
    const near = closeChoice(u.data, words);
    return near ? { near } : undefined;
  }
  if (u.data === null || typeof u.data !== 'object' || Array.isArray(u.data)) return undefined;
  const keys = [...keyedBranches(u).keys()];
  for (const key of Object.keys(u.data)) {
    const near = keys.includes(key) ? undefined : closeChoice(key, keys);
    if (near) return { key, near };
  }
  return undefined;
}

/** A near miss (`coutn`), or the one choice a short form abbreviates (`cnt` for `count`). */
function closeChoice(word: string, choices: string[]): string | undefined {
  const near = didYouMean(word, choices);
  if (near || word.length < 2) return near;
  const abbreviates = choices.filter((c) => c[0] === word[0] && isSubsequence(word, c));
  return abbreviates.length === 1 ? abbreviates[0] : undefined;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const c of long) if (c === short[i]) i++;
  return i === short.length;
}

function parentOf(path = ''): string {
  return path.replace(/(\.[^.[\]]+|\[[^\]]+\]|^[^.[\]]+)$/, '');
}

function lastOf(path = ''): string {
  return path.slice(parentOf(path).length).replace(/^\./, '');
}

function toFlowError(e: ErrorObject, data: unknown, base: Segment[], src: PipelineSource | undefined): FlowError {
  const at = [...base, ...pointerSegments(e.instancePath, data)];
  const parentSchema = (e.parentSchema ?? {}) as JSONSchema;
  const make = (code: ErrorCode, segments: Segment[], which: 'key' | 'value' | 'parent', message: string, hint?: string): FlowError => {
    const location = locate(src, segments, which);
    return new FlowError({ code, message, path: formatPath(segments), ...(location ? { location } : {}), ...(hint ? { hint } : {}) });
  };
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((parentSchema.properties ?? {}) as object);
      // Suggest only keys not already there: `sourse:` next to `source:` is not a typo of it.
      const written = valueAt(data, at.slice(base.length));
      const present = written !== null && typeof written === 'object' ? Object.keys(written) : [];
      const near = didYouMean(
        key,
        known.filter((k) => !present.includes(k)),
      );
      const hint = near ? `did you mean \`${near}\`?` : known.length > 0 ? `allowed keys: ${known.join(', ')}` : 'no keys are allowed here';
      return make('UNKNOWN_KEY', [...at, key], 'key', `unknown key \`${key}\``, hint);
    }
    case 'required': {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      const prop = ((parentSchema.properties ?? {}) as Record<string, JSONSchema>)[key];
      const hint = typeof prop?.description === 'string' ? `${key}: ${prop.description}` : undefined;
      return make('MISSING_KEY', [...at, key], 'parent', `missing required key \`${key}\``, hint);
    }
    case 'type':
      return make('WRONG_TYPE', at, 'value', `expected ${describe({ type: parentSchema.type })}, got ${jsonType(e.data)}`);
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const near =
        typeof e.data === 'string'
          ? didYouMean(
              e.data,
              allowed.filter((v): v is string => typeof v === 'string'),
            )
          : undefined;
      const list = `allowed values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
      return make('INVALID_VALUE', at, 'value', `${jsonType(e.data)} is not allowed here`, near ? `did you mean \`${near}\`? (${list})` : list);
    }
    case 'const':
      return make('INVALID_VALUE', at, 'value', `expected ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, got ${jsonType(e.data)}`);
    case 'oneOf':
    case 'anyOf': {
      const choice = nearChoice(e);
      if (choice?.key !== undefined)
        return make('UNKNOWN_KEY', [...at, choice.key], 'key', `unknown key \`${choice.key}\``, `did you mean \`${choice.near}\`?`);
      if (choice) return make('INVALID_VALUE', at, 'value', `unknown value ${JSON.stringify(e.data)}`, `did you mean \`${choice.near}\`?`);
      const branches = ((e.schema ?? []) as JSONSchema[]).filter((b) => typeof b === 'object');
      const code = branches.some((b) => matchesType(e.data, b)) ? 'INVALID_VALUE' : 'WRONG_TYPE';
      return make(code, at, 'value', `expected ${[...new Set(branches.map(describe))].join(', or ')}, got ${jsonType(e.data)}`);
    }
    default:
      return make('INVALID_VALUE', at, 'value', `${jsonType(e.data)} ${e.message ?? 'is not allowed'}`);
  }
}
