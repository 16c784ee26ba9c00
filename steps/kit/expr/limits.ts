// Bounds on what an expression may build. Without them `'a'.repeat(5e8).split('')` makes V8 abort
// the whole process (an array past V8's size limit is fatal, not an exception), and a small job runs
// in-process, where no worker heap cap applies. A result over a limit throws EXPR_LIMIT instead: the
// record fails (on-error applies), never the process. Sizes are checked before building when they
// can be known, else right after (V8 refuses a string past 2^29 characters itself, with a RangeError).
import { FlowError } from '../../../engine/contract/errors.js';

/** The longest string an expression may build: 16 Mi characters. */
export const MAX_STRING = 2 ** 24;
/** The most elements an array built by an expression may hold: 1 Mi. */
export const MAX_ELEMENTS = 2 ** 20;

export function limitError(what: string, size: number | undefined, unit: 'characters' | 'elements', verb = 'build'): FlowError {
  const limit = unit === 'characters' ? MAX_STRING : MAX_ELEMENTS;
  const built = size === undefined ? `more than ${limit} ${unit}` : `${size} ${unit}`;
  return new FlowError({
    code: 'EXPR_LIMIT',
    message: `${what} would ${verb} ${built}; an expression may ${verb} at most ${limit} ${unit} (${limit / 2 ** 20} Mi)`,
    hint: 'an expression works on one record; a value this large is most likely a mistake',
  });
}

/** A string result, refused past the limit. */
export function checkString<T>(what: string, value: T): T {
  if (typeof value === 'string' && value.length > MAX_STRING) throw limitError(what, value.length, 'characters');
  return value;
}

/** `a + b`: a string result is bounded (two strings of 16 Mi give 32 Mi; a chain of them, more). */
export function add(a: any, b: any): unknown {
  return checkString('+', a + b);
}

function integer(value: unknown): number {
  const n = Math.trunc(Number(value));
  return Number.isNaN(n) ? 0 : n;
}

/** The elements `flat(depth)` would give, counted without building them and only up to the limit. */
function flatLength(array: unknown[], depth: number): number {
  let count = 0;
  const stack: [unknown[], number][] = [[array, depth]];
  while (stack.length > 0 && count <= MAX_ELEMENTS) {
    const [items, d] = stack.pop()!;
    for (const item of items) {
      if (d >= 1 && Array.isArray(item)) stack.push([item, d - 1]);
      else count++;
    }
  }
  return count;
}

/** `$'` and `` $` `` insert up to the whole string per match, `$&` the match: a bound on one replacement. */
function replacementBound(s: string, pattern: string, replacement: string): number {
  let bound = replacement.length;
  for (let i = replacement.indexOf('$'); i !== -1; i = replacement.indexOf('$', i + 1)) {
    const next = replacement[i + 1];
    if (next === '&') bound += pattern.length;
    else if (next === "'" || next === '`') bound += s.length;
  }
  return bound;
}

function occurrences(s: string, pattern: string): number {
  if (pattern === '') return s.length + 1;
  let count = 0;
  for (let i = s.indexOf(pattern); i !== -1; i = s.indexOf(pattern, i + pattern.length)) count++;
  return count;
}

/** A method the checker allows, called on what is not a string or an array: as JavaScript would. */
function plain(receiver: any, name: string, args: unknown[]): unknown {
  if (receiver === null || receiver === undefined) throw new TypeError(`Cannot read properties of ${String(receiver)} (reading '${name}')`);
  const method: unknown = receiver[name];
  if (typeof method !== 'function') throw new TypeError(`${name} is not a function of ${Array.isArray(receiver) ? 'an array' : typeof receiver}`);
  return method.apply(receiver, args) as unknown;
}

type Guard = (receiver: any, ...args: any[]) => unknown;

/**
 * The methods that can build a value much larger than their receiver, as the compiler calls them:
 * `s.repeat(n)` becomes `$limit.repeat(s, n)`. Strings and arrays are checked; other receivers are
 * called as they would be.
 */
export const guardedMethods: Readonly<Record<string, Guard>> = Object.freeze({
  repeat(s, ...args) {
    if (typeof s !== 'string') return plain(s, 'repeat', args);
    const size = s.length * integer(args[0]);
    if (size > MAX_STRING) throw limitError('repeat', size, 'characters');
    return s.repeat(args[0]);
  },
  padStart(s, ...args) {
    if (typeof s !== 'string') return plain(s, 'padStart', args);
    const size = integer(args[0]);
    if (size > MAX_STRING && size > s.length && args[1] !== '') throw limitError('padStart', size, 'characters');
    return s.padStart(args[0], args[1]);
  },
  padEnd(s, ...args) {
    if (typeof s !== 'string') return plain(s, 'padEnd', args);
    const size = integer(args[0]);
    if (size > MAX_STRING && size > s.length && args[1] !== '') throw limitError('padEnd', size, 'characters');
    return s.padEnd(args[0], args[1]);
  },
  split(s, ...args) {
    if (typeof s !== 'string') return plain(s, 'split', args);
    // A limit one past ours: V8 stops there, so the array is never built whole.
    const limit = args[1] === undefined ? MAX_ELEMENTS + 1 : Math.min(args[1] >>> 0, MAX_ELEMENTS + 1);
    const parts = s.split(args[0], limit);
    if (parts.length > MAX_ELEMENTS) throw limitError('split', undefined, 'elements');
    return parts;
  },
  concat(x, ...args) {
    if (typeof x === 'string') return checkString('concat', x.concat(...args));
    if (!Array.isArray(x)) return plain(x, 'concat', args);
    const size = args.reduce((n: number, a) => n + (Array.isArray(a) ? a.length : 1), x.length);
    if (size > MAX_ELEMENTS) throw limitError('concat', size, 'elements');
    return x.concat(...args);
  },
  join(a, ...args) {
    if (!Array.isArray(a)) return plain(a, 'join', args);
    const separator = args[0] === undefined ? 1 : String(args[0]).length;
    let size = separator * Math.max(0, a.length - 1);
    for (let i = 0; i < a.length && size <= MAX_STRING; i++) if (typeof a[i] === 'string') size += (a[i] as string).length;
    if (size > MAX_STRING) throw limitError('join', undefined, 'characters');
    return checkString('join', a.join(args[0]));
  },
  flat(a, ...args) {
    if (!Array.isArray(a)) return plain(a, 'flat', args);
    const depth = args[0] === undefined ? 1 : Number(args[0]) === Infinity ? Infinity : integer(args[0]);
    if (flatLength(a, depth) > MAX_ELEMENTS) throw limitError('flat', undefined, 'elements');
    return a.flat(depth);
  },
  replace(s, ...args) {
    if (typeof s !== 'string') return plain(s, 'replace', args);
    return checkString('replace', s.replace(args[0], args[1]));
  },
  replaceAll(s, ...args) {
    if (typeof s !== 'string') return plain(s, 'replaceAll', args);
    const pattern = String(args[0]);
    const per = replacementBound(s, pattern, String(args[1]));
    if (per > pattern.length) {
      const size = s.length + occurrences(s, pattern) * (per - pattern.length);
      if (size > MAX_STRING) throw limitError('replaceAll', undefined, 'characters');
    }
    return checkString('replaceAll', s.replaceAll(pattern, args[1]));
  },
  normalize(s, ...args) {
    if (typeof s !== 'string') return plain(s, 'normalize', args);
    return checkString('normalize', s.normalize(args[0]));
  },
});

export function isGuardedMethod(name: string): boolean {
  return Object.hasOwn(guardedMethods, name);
}
