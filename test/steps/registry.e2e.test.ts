// The built registry and the bundle: compiled steps in dist/steps/, and the binary package.json names.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinNames, builtinSteps } from '../../steps/registry.js';
import type { StepKind } from '../../engine/contract/step.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const all = (Object.keys(builtinSteps) as StepKind[]).flatMap((kind) => builtinNames(kind).map((name) => [kind, name] as const));

describe('builtinSteps', () => {
  it('is compiled to dist/steps/ beside the compiled registry', async () => {
    const compiled = (await import(pathToFileURL(path.join(root, 'dist/steps/registry.js')).href)) as typeof import('../../steps/registry.js');
    for (const [kind, name] of all) {
      const url = compiled.builtinModule(kind, name)!;
      expect(url).toBe(pathToFileURL(path.join(root, 'dist/steps', `${builtinSteps[kind][name]}.js`)).href);
      expect(existsSync(fileURLToPath(url))).toBe(true);
    }
  });
});

describe('the bundle', () => {
  it('is what the binary package.json names runs, next to its worker', () => {
    const bin = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: { flow: string } }).bin.flow;
    expect(bin).toBe('dist/engine/launch/bin.cjs');
    expect(readFileSync(path.join(root, bin), 'utf8')).toContain("'bundle', 'cli.cjs'");
    expect(existsSync(path.join(root, 'dist/bundle/cli.cjs'))).toBe(true);
    expect(existsSync(path.join(root, 'dist/bundle/worker.js'))).toBe(true);
  });
});
