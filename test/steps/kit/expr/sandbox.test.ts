// Escape hunting: known ways out of JavaScript sandboxes must be refused by the checker, or compile
// to something harmless. Each payload would set globalThis.__pwned or pollute Object.prototype.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { checkExpr, compileExpr } from '../../../../steps/kit/expr/index.js';

const g = globalThis as Record<string, unknown>;
const record = () => ({ x: 'abc', list: [1, 2], o: {}, k: 'constructor', code: 'globalThis.__pwned = 1', n: 1 });

function unharmed(): void {
  expect(g.__pwned).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Array.prototype).not.toHaveProperty('polluted');
}

/** Compiles and runs when the checker lets it through; errors thrown while running are fine. */
function attempt(source: string): 'refused' | 'ran' {
  if (checkExpr(source).length > 0) {
    expect(() => compileExpr(source)).toThrow();
    return 'refused';
  }
  try {
    compileExpr(source)(record());
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
  }
  return 'ran';
}

const refused = [
  'constructor.constructor("globalThis.__pwned = 1")()',
  'this.constructor.constructor("globalThis.__pwned = 1")()',
  'r.constructor.constructor("globalThis.__pwned = 1")()',
  'r.x.constructor.constructor(r.code)()',
  '"".sub.constructor("globalThis.__pwned = 1")()',
  '[].at.constructor("globalThis.__pwned = 1")()',
  'Math.max.constructor("globalThis.__pwned = 1")()',
  'String.fromCharCode.constructor(r.code)()',
  'r?.constructor?.constructor(r.code)()',
  'r?.["constructor"]',
  'r["\\u0063onstructor"]["\\u0063onstructor"](r.code)()',
  'r.\\u0063onstructor',
  'r["con" + "structor"]["con" + "structor"](r.code)()',
  'r[r.k][r.k](r.code)()',
  'r.o.__proto__.polluted = 1',
  'r.o["__proto__"]["polluted"] = 1',
  'r.__defineGetter__("x", 1)',
  'r.list.__lookupGetter__("__proto__")',
  '{__proto__: {polluted: 1}}.polluted',
  '{"__proto__": 1}',
  'Object.getPrototypeOf(r).polluted',
  'Object.assign(Object.prototype, {polluted: 1})',
  'Object.defineProperty',
  'Reflect.get(globalThis, "process")',
  'Function("globalThis.__pwned = 1")()',
  'new Function("globalThis.__pwned = 1")()',
  'eval("globalThis.__pwned = 1")',
  '(0, eval)(r.code)',
  'globalThis.__pwned = 1',
  'globalThis["__pwned"]',
  'global.process',
  'window',
  'self',
  'process.exit()',
  'process.mainModule.require("child_process").execSync("id")',
  'require("fs")',
  'import("fs")',
  'arguments.callee',
  '(() => globalThis)()',
  '(function () { return this })()',
  'async () => 1',
  '`${globalThis.__pwned = 1}`',
  'r.x.replace("a", Function)',
  'r.x.replace("a", eval)',
  'r.list.map(Function)',
  'r.list.push(1)',
  'r.list.sort()',
  'r.x.toString.call(r)',
  '[].concat.apply([], r.list)',
  'Symbol.unscopables',
  'r.o.polluted = 1',
  'r.n++',
  'delete r.x',
  'r.list.length = 0',
  '/./.exec(r.x)',
  'r.x; globalThis',
  'setTimeout("globalThis.__pwned = 1")',
  'queueMicrotask',
  'console.log(1)',
  'Math.random()',
  'Date.now()',
];

const harmless = [
  'r[r.k][r.k]', // guarded at run time
  'r.o[r.k]',
  'r.list[["constructor"]]',
  'r.o[{toString: r.x.at}]',
  'JSON.parse("{\\"__proto__\\": {\\"polluted\\": 1}}").polluted',
  'Object.fromEntries([["__proto__", {polluted: 1}]]).polluted',
  'JSON.stringify(r, r.list.concat)',
  'r.x.replace("a", r.list.at)',
  '{toString: r.list.at} + ""',
  '{valueOf: r.x.at} * 1',
  '{toJSON: r.list.concat}.toJSON',
  'Object.keys(r).concat(Object.values(r))',
];

describe('escape hunting', () => {
  afterEach(() => {
    delete g.__pwned;
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it.each(refused)('refuses %s', (source) => {
    expect(attempt(source)).toBe('refused');
    unharmed();
  });

  it.each(harmless)('runs %s harmlessly', (source) => {
    expect(attempt(source)).toBe('ran');
    unharmed();
  });

  it('survives random token soup: the checker never throws, and what passes runs harmlessly', () => {
    const vocabulary = [
      'r',
      '.',
      'x',
      'list',
      'o',
      'k',
      'code',
      '[',
      ']',
      '(',
      ')',
      '{',
      '}',
      ',',
      ':',
      '?',
      '?.',
      '+',
      '-',
      '*',
      '**',
      '!',
      '==',
      '&&',
      '||',
      '??',
      '"constructor"',
      '"__proto__"',
      "'a'",
      '0',
      '1',
      'constructor',
      '__proto__',
      'prototype',
      'at',
      'slice',
      'concat',
      'toString',
      'valueOf',
      'Math',
      'abs',
      'String',
      'Number',
      'JSON',
      'stringify',
      'parse',
      'Object',
      'keys',
      'fromEntries',
      'PI',
      'this',
      'globalThis',
      'Function',
      'eval',
      '=',
      '=>',
      '`',
      'new',
      'typeof',
      'polluted',
      ' ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 14 }), (words) => {
        const source = words.join('');
        expect(() => checkExpr(source)).not.toThrow();
        attempt(source);
        unharmed();
      }),
      { numRuns: 3000 },
    );
  });
});
