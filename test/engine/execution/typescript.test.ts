// TypeScript plugins compiled once by esbuild (the fast path tsCompile): the plugin's own TypeScript
// bundled, everything else imported from where it is, import.meta as in the source file, the same
// step as tsx gives, located errors; CommonJS TypeScript left to tsx.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { importModule } from '../../../engine/execution/import-step.js';
import { compiledModule, compilesToEsm, compileSteps } from '../../../engine/execution/typescript.js';
import { fastPaths } from '../../../engine/contract/fast-paths.js';
import type { MapStep } from '../../../engine/contract/step.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project under the repository (its packages resolve from the repository's node_modules). */
function project(files: Record<string, string>): (file: string) => string {
  mkdirSync(path.join(root, '.cache'), { recursive: true });
  const dir = mkdtempSync(path.join(root, '.cache', 'flow-ts-compile-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return (file) => pathToFileURL(path.join(dir, file)).href;
}

const plugin = `import { parse } from 'yaml';
import { basename } from 'node:path';
import { scale } from './lib/scale';
import { offset, where as helperWhere } from './lib/offset.mjs';
import settings from './settings.json' with { type: 'json' };
import { readFileSync } from 'node:fs';

const table = readFileSync(new URL('./table.txt', import.meta.url), 'utf8').trim();

export default {
  kind: 'map' as const,
  name: 'scaled',
  summary: 's',
  options: { type: 'object' },
  map: (r: number) => ({
    value: scale(r) + offset + parse('n: 1').n + settings.add,
    table,
    file: basename(import.meta.filename),
    dir: import.meta.dirname,
    url: import.meta.url,
    helperWhere,
  }),
};
`;

const files = {
  'package.json': '{ "type": "module" }',
  'steps/scaled.ts': plugin,
  'steps/lib/scale.ts': 'export const scale = (n: number): number => n * 10;\nexport const where: string = import.meta.url;\n',
  'steps/lib/offset.mjs': 'export const offset = 100;\nexport const where = import.meta.url;\n',
  'steps/settings.json': '{ "add": 1000 }',
  'steps/table.txt': 'a table beside the step\n',
};

afterEach(() => {
  delete process.env[fastPaths.tsCompile];
});

describe('compiled TypeScript plugins', () => {
  it('bundle the plugin’s TypeScript and import the rest from where it is, with import.meta as in the source', async () => {
    const at = project(files);
    const url = at('steps/scaled.ts');
    const step = (await importModule(url)).default as MapStep;
    expect(step.map!(2, undefined)).toEqual({
      value: 20 + 100 + 1 + 1000,
      table: 'a table beside the step',
      file: 'scaled.ts',
      dir: path.dirname(fileURLToPath(url)),
      url,
      // A JavaScript file is imported where it is, not copied into the bundle.
      helperWhere: at('steps/lib/offset.mjs'),
    });
    // The module imported is the compiled one, outside the project.
    const compiled = await compiledModule(url);
    expect(compiled).toMatch(/^file:.*flow-ts-\d+-.*\/scaled-\d+\.mjs$/);
  });

  it('give the same step as tsx (FLOW_NO_TS_COMPILE=1)', async () => {
    const at = project(files);
    const compiled = (await importModule(at('steps/scaled.ts'))).default as MapStep;
    process.env[fastPaths.tsCompile] = '1';
    // Another file of the same text: the module caches are per URL.
    const viaTsx = (await importModule(project(files)('steps/scaled.ts'))).default as MapStep;
    const strip = (value: unknown) => {
      const { dir: _d, url: _u, helperWhere: _h, ...rest } = value as Record<string, unknown>;
      return rest;
    };
    expect(strip(compiled.map!(7, undefined))).toEqual(strip(viaTsx.map!(7, undefined)));
  });

  it('fail with esbuild’s error at the file, line and column', async () => {
    const at = project({ 'package.json': '{ "type": "module" }', 'bad.ts': 'export default {\n  map: (r: number) => r +* 2,\n};\n' });
    await expect(importModule(at('bad.ts'))).rejects.toThrow(/bad\.ts:2:25: ERROR: Unexpected "\*"/);
  });

  it('are the ES modules only: .mts, and .ts under "type": "module"', () => {
    const esm = project({ 'package.json': '{ "type": "module" }', 'a.ts': '', 'nested/b.ts': '' });
    const cjs = project({ 'package.json': '{ "name": "cjs" }', 'a.ts': '', 'a.mts': '', 'a.cts': '' });
    expect([esm('a.ts'), esm('nested/b.ts'), cjs('a.mts')].map(compilesToEsm)).toEqual([true, true, true]);
    expect([cjs('a.ts'), cjs('a.cts'), 'node:fs'].map(compilesToEsm)).toEqual([false, false, false]);
  });

  it('point a worker plan’s steps at their compiled modules, and leave the others', async () => {
    const at = project(files);
    const url = at('steps/scaled.ts');
    const compiled = await compiledModule(url);
    const plan = { source: { module: 'file:///source.mjs' }, map: [{ module: url, path: 'map[0]' }, { module: 'file:///other.ts' }] };
    expect(await compileSteps(plan)).toEqual({
      source: { module: 'file:///source.mjs' },
      map: [{ module: compiled, path: 'map[0]' }, { module: 'file:///other.ts' }],
    });
  });

  it('compile a plan’s TypeScript steps here first (flow worker), leaving one that does not compile as it is', async () => {
    const at = project({ ...files, 'steps/bad.ts': 'export default {\n  map: (r: number) => r +* 2,\n};\n' });
    const plan = { source: { module: 'file:///source.mjs' }, map: [{ module: at('steps/scaled.ts') }, { module: at('steps/bad.ts') }] };
    const compiled = await compileSteps(plan);
    expect(compiled.map[0]!.module).toBe(await compiledModule(at('steps/scaled.ts')));
    expect(compiled.map[0]!.module).toMatch(/\.mjs$/);
    expect(compiled.map[1]!.module).toBe(at('steps/bad.ts'));
    process.env[fastPaths.tsCompile] = '1';
    const untouched = { source: { module: 'file:///source.mjs' }, map: [{ module: project(files)('steps/scaled.ts') }] };
    expect(await compileSteps(untouched)).toBe(untouched);
  });
});
