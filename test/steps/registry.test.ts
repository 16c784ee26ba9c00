// The built-in steps by kind and name: every one is a module beside the registry (TypeScript when the
// tests run from source, compiled JavaScript in dist/steps/) whose default export is that step.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundled, distRoot, distUrl, packageRoot } from '../../engine/contract/package.js';
import { builtinModule, builtinNames, builtinSteps } from '../../steps/registry.js';
import { bundledBuiltin, bundledStepFiles } from '../../steps/bundled.js';
import type { Step, StepKind } from '../../engine/contract/step.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const all = (Object.keys(builtinSteps) as StepKind[]).flatMap((kind) => builtinNames(kind).map((name) => [kind, name] as const));

describe('builtinSteps', () => {
  it('lists the documented steps', () => {
    expect(Object.fromEntries((Object.keys(builtinSteps) as StepKind[]).map((kind) => [kind, builtinNames(kind)]))).toEqual({
      source: ['file', 'range', 'random'],
      map: ['filter', 'transform', 'set', 'select', 'flat-map'],
      reduce: ['count', 'sum', 'mean', 'min', 'max', 'collect', 'group', 'top'],
      output: ['stdout', 'file'],
    });
  });

  it.each(all)('%s %s is a source module whose default export is that step', async (kind, name) => {
    const url = builtinModule(kind, name)!;
    expect(url).toBe(pathToFileURL(path.join(root, 'steps', `${builtinSteps[kind][name]}.ts`)).href);
    expect(existsSync(fileURLToPath(url))).toBe(true);
    const step = (await import(url)).default as Step;
    expect({ kind: step.kind, name: step.name }).toEqual({ kind, name });
  });

  it('every step file or component folder in steps/ is a built-in', async () => {
    const { readdirSync } = await import('node:fs');
    const steps = readdirSync(path.join(root, 'steps')).filter((f) => /^(source|map|reduce|output)-/.test(f));
    const modules = steps.map((f) => (f.endsWith('.ts') ? f.slice(0, -3) : `${f}/index`));
    expect(modules.sort()).toEqual(all.map(([kind, name]) => builtinSteps[kind][name]).sort());
  });
});

describe('builtinModule', () => {
  it('is undefined for an unknown name or one of the wrong kind', () => {
    expect(builtinModule('map', 'nope')).toBeUndefined();
    expect(builtinModule('map', 'sum')).toBeUndefined();
    expect(builtinModule('reduce', 'filter')).toBeUndefined();
  });

  it('does not take inherited property names for steps', () => {
    expect(builtinModule('map', 'toString')).toBeUndefined();
    expect(builtinModule('source', 'constructor')).toBeUndefined();
    expect(builtinModule('reduce', '__proto__')).toBeUndefined();
  });
});

describe('dist paths', () => {
  it('point at the package’s dist/, also when running from source', () => {
    expect(packageRoot).toBe(root);
    expect(distRoot).toBe(path.join(root, 'dist'));
    expect(distUrl('engine/execution/pool/worker.js')).toBe(pathToFileURL(path.join(root, 'dist/engine/execution/pool/worker.js')).href);
  });
});

describe('the bundle', () => {
  it('carries every built-in step', () => {
    expect(bundledStepFiles.toSorted()).toEqual(
      Object.values(builtinSteps)
        .flatMap((byName) => Object.values(byName))
        .toSorted(),
    );
  });

  it('is not used when running unbundled: built-ins load by URL', () => {
    expect(bundled).toBe(false);
    expect(bundledBuiltin(builtinModule('map', 'filter')!)).toBeUndefined();
  });
});
