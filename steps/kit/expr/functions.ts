// The fixed list of what an expression may call: pure functions, by name, and methods of strings,
// numbers and arrays. Compiled closures bind these values from the frozen table below, never from
// globalThis. Nothing random or clock-based: a pipeline's result must depend on its data alone.

import { checkString, limitError, MAX_ELEMENTS, MAX_STRING } from './limits.js';

type Fn = (...args: any[]) => unknown;

const MATH_FUNCTIONS = [
  'abs',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atan2',
  'atanh',
  'cbrt',
  'ceil',
  'clz32',
  'cos',
  'cosh',
  'exp',
  'expm1',
  'floor',
  'fround',
  'hypot',
  'imul',
  'log',
  'log10',
  'log1p',
  'log2',
  'max',
  'min',
  'pow',
  'round',
  'sign',
  'sin',
  'sinh',
  'sqrt',
  'tan',
  'tanh',
  'trunc',
] as const;
const MATH_CONSTANTS = ['E', 'LN10', 'LN2', 'LOG10E', 'LOG2E', 'PI', 'SQRT1_2', 'SQRT2'] as const;
const NUMBER_CONSTANTS = [
  'EPSILON',
  'MAX_SAFE_INTEGER',
  'MIN_SAFE_INTEGER',
  'MAX_VALUE',
  'MIN_VALUE',
  'POSITIVE_INFINITY',
  'NEGATIVE_INFINITY',
  'NaN',
] as const;

function noCallback(name: string, fn: unknown): void {
  // A callback would run a function the checker never saw.
  if (typeof fn === 'function') throw new TypeError(`${name}: a function argument is not allowed`);
}

/** Object.keys of a string has an element per character: bounded like split. */
function keysOf(name: string, o: unknown): object {
  if (typeof o === 'string' && o.length > MAX_ELEMENTS) throw limitError(name, o.length, 'elements');
  return o as object;
}

const functions: Record<string, Fn> = {
  Number,
  // String of an array joins it; JSON.stringify and encodeURIComponent can grow a string 9 times and more.
  String: (...args: unknown[]) => (args.length === 0 || typeof args[0] === 'string' ? String(...args) : checkString('String', String(args[0]))),
  Boolean,
  parseInt,
  parseFloat,
  isNaN,
  isFinite,
  encodeURIComponent: (text: string | number | boolean) => checkString('encodeURIComponent', encodeURIComponent(text)),
  decodeURIComponent,
  'Number.isInteger': Number.isInteger,
  'Number.isFinite': Number.isFinite,
  'Number.isNaN': Number.isNaN,
  'Number.isSafeInteger': Number.isSafeInteger,
  'Number.parseFloat': Number.parseFloat,
  'Number.parseInt': Number.parseInt,
  'String.fromCharCode': String.fromCharCode,
  'String.fromCodePoint': String.fromCodePoint,
  'Date.parse': Date.parse,
  'Date.UTC': Date.UTC,
  'JSON.stringify': (value: unknown, replacer?: unknown, space?: string | number) => {
    noCallback('JSON.stringify', replacer);
    return checkString('JSON.stringify', JSON.stringify(value, replacer as (string | number)[] | null | undefined, space));
  },
  'JSON.parse': (text: string, reviver?: unknown) => {
    noCallback('JSON.parse', reviver);
    // Its arrays hold up to half as many elements as the text has characters.
    if (typeof text === 'string' && text.length > MAX_STRING) throw limitError('JSON.parse', text.length, 'characters', 'read');
    return JSON.parse(text) as unknown;
  },
  'Object.keys': (o: object) => Object.keys(keysOf('Object.keys', o)),
  'Object.values': (o: object) => Object.values(keysOf('Object.values', o)),
  'Object.entries': (o: object) => Object.entries(keysOf('Object.entries', o)),
  // Builds own data properties, so a "__proto__" key cannot change a prototype.
  'Object.fromEntries': (entries: Iterable<readonly [PropertyKey, unknown]>) => Object.fromEntries(entries),
  'Array.isArray': Array.isArray,
};
for (const name of MATH_FUNCTIONS) functions[`Math.${name}`] = Math[name];

const constants: Record<string, number> = {};
for (const name of MATH_CONSTANTS) constants[`Math.${name}`] = Math[name];
for (const name of NUMBER_CONSTANTS) constants[`Number.${name}`] = Number[name];

/**
 * Methods callable on values (`r.name.toLowerCase()`, `r.tags.includes("x")`). None of them changes
 * its receiver: `sort`, `reverse`, `push`, `splice` and friends are not here.
 */
const STRING_METHODS = [
  'at',
  'charAt',
  'charCodeAt',
  'codePointAt',
  'concat',
  'endsWith',
  'includes',
  'indexOf',
  'lastIndexOf',
  'normalize',
  'padEnd',
  'padStart',
  'repeat',
  'replace',
  'replaceAll',
  'slice',
  'split',
  'startsWith',
  'substring',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'trimEnd',
  'trimStart',
];
const NUMBER_METHODS = ['toFixed', 'toPrecision', 'toString'];
const ARRAY_METHODS = ['at', 'concat', 'flat', 'includes', 'indexOf', 'join', 'lastIndexOf', 'slice', 'toReversed', 'toSorted'];

const methods = [...new Set([...STRING_METHODS, ...NUMBER_METHODS, ...ARRAY_METHODS])].sort();

/** Values bound into compiled expressions, by dotted name. */
export const exprBindings: Readonly<Record<string, Fn | number>> = Object.freeze({ ...functions, ...constants });

/** What expressions may call and read by name, for docs and hints. */
export const exprFunctions = Object.freeze({
  /** Called by name: `Number(x)`, `Math.abs(x)`. */
  functions: Object.freeze(Object.keys(functions)),
  /** Read by name: `Math.PI`. */
  constants: Object.freeze(Object.keys(constants)),
  /** Called on a value: `r.name.slice(0, 3)`. */
  methods: Object.freeze(methods),
  /** Properties worth knowing (any other property of a record is read the usual way). */
  properties: Object.freeze(['length']),
});

/** The first part of every dotted name: `Math`, `Number`, ... */
export const namespaces: ReadonlySet<string> = new Set(
  Object.keys(exprBindings)
    .filter((name) => name.includes('.'))
    .map((name) => name.split('.')[0]!),
);

export function isFunction(name: string): boolean {
  return Object.hasOwn(functions, name);
}

export function isConstant(name: string): boolean {
  return Object.hasOwn(constants, name);
}

export function isMethod(name: string): boolean {
  return methods.includes(name);
}

/** A short list of what can be called, for hints when nothing is close. */
export function functionSummary(): string {
  const plain = exprFunctions.functions.filter((name) => !name.includes('.'));
  return `allowed: ${[...plain, ...[...namespaces].map((ns) => `${ns}.*`)].join(', ')}`;
}
