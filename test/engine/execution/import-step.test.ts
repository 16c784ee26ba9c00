// Importing step modules by the one road for built-ins and plugins: JavaScript natively, TypeScript
// through tsx (as ESM or compiled to CommonJS, as the folder's package.json says), cached.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importModule, importStep, isStepLike, isTypeScriptModule, pickExport } from '../../../engine/execution/import-step.js';
import type { MapStep } from '../../../engine/contract/step.js';

const stepSource = (name: string, extra = '') =>
  `export const ${name.replace(/\W/g, '_')} = { kind: 'map', name: '${name}', summary: 's', options: { type: 'object' }, map: (r${extra ? ': number' : ''}) => r + 1 };\n`;

/** A fresh folder with the given files (a package.json decides ESM or CommonJS for .ts). */
function project(files: Record<string, string>): (file: string) => string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-step-module-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return (file) => pathToFileURL(path.join(dir, file)).href;
}

const defaultStep = (name: string, typed = false) =>
  `const step = { kind: 'map' as const, name: '${name}', summary: 's', options: { type: 'object' }, map: (r: number) => r * 2 };\nexport default step;\n`
    .replace(typed ? '' : ' as const', '')
    .replace(typed ? '' : ': number', '');

describe('importStep', () => {
  it('imports a .mjs module’s default export', async () => {
    const url = project({ 'double.mjs': defaultStep('double') })('double.mjs');
    const step = await importStep(url);
    expect(step).toMatchObject({ kind: 'map', name: 'double' });
    expect((step as MapStep).map!(21, undefined)).toBe(42);
  });

  it('imports a .ts module as ESM in a "type": "module" folder', async () => {
    const url = project({ 'package.json': '{ "type": "module" }', 'double.ts': defaultStep('esm-double', true) })('double.ts');
    const ns = await importModule(url);
    expect(ns.default).toMatchObject({ kind: 'map', name: 'esm-double' });
    const step = await importStep(url);
    expect(step).toMatchObject({ kind: 'map', name: 'esm-double' });
    expect((step as MapStep).map!(4, undefined)).toBe(8);
  });

  it('unwraps the CommonJS-compiled default export of a .ts module in a folder without "type": "module"', async () => {
    const url = project({ 'package.json': '{ "name": "cjs-steps" }', 'double.ts': defaultStep('cjs-double', true) })('double.ts');
    const ns = await importModule(url);
    // Compiled to CommonJS, the namespace's default is module.exports, which holds `default`.
    expect(ns.default).toMatchObject({ default: { kind: 'map', name: 'cjs-double' } });
    const step = await importStep(url);
    expect(step).toMatchObject({ kind: 'map', name: 'cjs-double' });
    expect((step as MapStep).map!(5, undefined)).toBe(10);
  });

  it('picks a named export', async () => {
    const at = project({
      'package.json': '{ "type": "module" }',
      'many.mjs': stepSource('upper') + stepSource('lower'),
      'many.ts': stepSource('ts-named', 'typed'),
    });
    expect(await importStep(at('many.mjs'), 'lower')).toMatchObject({ kind: 'map', name: 'lower' });
    expect(await importStep(at('many.mjs'), 'upper')).toMatchObject({ kind: 'map', name: 'upper' });
    expect(await importStep(at('many.ts'), 'ts_named')).toMatchObject({ kind: 'map', name: 'ts-named' });
    expect(await importStep(at('many.mjs'), 'missing')).toBeUndefined();
    expect(await importStep(at('many.mjs'))).toBeUndefined();
  });

  it('caches per specifier and export: a changed file is not read again', async () => {
    const at = project({ 'step.mjs': defaultStep('first') + stepSource('named') });
    const first = await importStep(at('step.mjs'));
    writeFileSync(new URL(at('step.mjs')), defaultStep('second'));
    expect(await importStep(at('step.mjs'))).toBe(first);
    expect(await importStep(at('step.mjs'), 'default')).toBe(first);
    expect(await importStep(at('step.mjs'), 'named')).toMatchObject({ name: 'named' });
    expect(importStep(at('step.mjs'))).toBe(importStep(at('step.mjs')));
  });

  it('rejects for a module that cannot be found, and keeps rejecting', async () => {
    const url = project({})('nope.mjs');
    await expect(importStep(url)).rejects.toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    await expect(importStep(url)).rejects.toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
  });
});

describe('pickExport', () => {
  const step = { kind: 'map', name: 's' };

  it('takes the default export, or the named one', () => {
    expect(pickExport({ default: step })).toBe(step);
    expect(pickExport({ default: 1, other: step }, 'other')).toBe(step);
  });

  it('unwraps a default that only holds a step under `default`', () => {
    expect(pickExport({ default: { default: step } })).toBe(step);
    // Not for a named export, and not when the default is itself a step.
    const named = { default: step };
    expect(pickExport({ x: named }, 'x')).toBe(named);
    const both = { kind: 'reduce', name: 'outer', default: step };
    expect(pickExport({ default: both })).toBe(both);
    const notStep = { default: { name: 'no kind' } };
    expect(pickExport({ default: notStep })).toBe(notStep);
  });
});

describe('isStepLike and isTypeScriptModule', () => {
  it('a step-like value is an object with a string kind', () => {
    expect(isStepLike({ kind: 'map' })).toBe(true);
    expect([null, undefined, 'map', { kind: 1 }, () => {}].map(isStepLike)).toEqual([false, false, false, false, false]);
  });

  it('TypeScript is .ts, .mts and .cts', () => {
    expect(['a.ts', 'file:///x/a.mts', 'b.cts'].map(isTypeScriptModule)).toEqual([true, true, true]);
    expect(['a.js', 'a.mjs', 'a.d.ts.map', 'a.tsx', 'ts'].map(isTypeScriptModule)).toEqual([false, false, false, false, false]);
  });
});
