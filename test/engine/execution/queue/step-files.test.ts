import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../helpers/temp.js';
import { importModule } from '../../../../engine/execution/import-step.js';
import { resolveRelative, stepFiles } from '../../../../engine/execution/queue/step-files.js';

const temp = tempDirs('flow-step-files-');

/** A project folder (`proj/` inside a temp folder, so `../` can leave it) holding the given files. */
function project(files: Record<string, string>) {
  const outer = temp();
  const root = path.join(outer, 'proj');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(outer, rel)), { recursive: true });
    writeFileSync(path.join(outer, rel), text);
  }
  const places = { root, dist: path.join(root, 'node_modules/flow-pipelines/dist') };
  return {
    root,
    places,
    files: (...steps: string[]) =>
      stepFiles(
        steps.map((s) => path.join(root, s)),
        places,
      ),
  };
}

describe('stepFiles', () => {
  it('follows each import form through relative specifiers, transitively', () => {
    const { files } = project({
      'proj/steps/hour.ts': [
        "import { a } from './lib/a.js';",
        "import './lib/b.js';",
        "export { c } from '../shared/c.js';",
        "const d = await import('./lib/d.mjs');",
      ].join('\n'),
      'proj/steps/lib/a.ts': "export { deep } from './deep/e';\nexport const a = 1;",
      'proj/steps/lib/deep/e.ts': 'export const deep = 1;',
      'proj/steps/lib/b.js': 'globalThis.b = 1;',
      'proj/shared/c.js': 'export const c = 1;',
      'proj/steps/lib/d.mjs': 'export const d = 1;',
      'proj/steps/lib/unused.ts': 'export const u = 1;',
    });
    expect(files('steps/hour.ts')).toEqual(['shared/c.js', 'steps/hour.ts', 'steps/lib/a.ts', 'steps/lib/b.js', 'steps/lib/d.mjs', 'steps/lib/deep/e.ts']);
  });

  it('maps a .js/.mjs/.cjs specifier to its TypeScript source, which tsx prefers from a TypeScript module', () => {
    const { root, files } = project({
      'proj/steps/hour.ts': "import './a.js';\nimport './b.mjs';\nimport './c.cjs';",
      'proj/steps/a.ts': '',
      'proj/steps/a.js': '',
      'proj/steps/b.mts': '',
      'proj/steps/c.cts': '',
      'proj/steps/js.mjs': "import './a.js';",
    });
    expect(files('steps/hour.ts')).toEqual(['steps/a.ts', 'steps/b.mts', 'steps/c.cts', 'steps/hour.ts']);
    // From JavaScript the file named is taken when it is there.
    expect(resolveRelative('./a.js', path.join(root, 'steps/js.mjs'))).toBe(path.join(root, 'steps/a.js'));
    expect(resolveRelative('./b.mjs', path.join(root, 'steps/js.mjs'))).toBe(path.join(root, 'steps/b.mts'));
  });

  it('picks the files that tsx, which loads TypeScript steps, loads', async () => {
    const which = (name: string) => `export const which = '${name}';`;
    const { root } = project({
      'proj/package.json': '{"type": "module"}',
      'proj/steps/hour.ts': [
        "export { which as a } from './a.js';",
        "export { which as t } from './time';",
        "export { which as m } from './m.mjs';",
        "export { which as v } from './views';",
      ].join('\n'),
      'proj/steps/a.ts': which('a.ts'),
      'proj/steps/a.js': which('a.js'),
      'proj/steps/time.ts': which('time.ts'),
      'proj/steps/time.js': which('time.js'),
      'proj/steps/m.mts': which('m.mts'),
      'proj/steps/m.mjs': which('m.mjs'),
      'proj/steps/views/index.ts': which('views/index.ts'),
    });
    const step = path.join(root, 'steps/hour.ts');
    const loaded = await importModule(step);
    for (const [name, specifier] of [
      ['a', './a.js'],
      ['t', './time'],
      ['m', './m.mjs'],
      ['v', './views'],
    ] as const) {
      expect(path.relative(path.join(root, 'steps'), resolveRelative(specifier, step)!)).toBe(loaded[name]);
    }
  });

  it('resolves an extensionless specifier with the usual extensions, and a folder by its index', () => {
    const { files } = project({
      'proj/steps/hour.ts': "import { t } from './time';\nimport { u } from './util';\nimport { v } from './views/';",
      'proj/steps/time.ts': '',
      'proj/steps/time.js': '',
      'proj/steps/util/index.js': "export * from './parse';",
      'proj/steps/util/parse.mjs': '',
      'proj/steps/views/index.mts': '',
    });
    expect(files('steps/hour.ts')).toEqual(['steps/hour.ts', 'steps/time.ts', 'steps/util/index.js', 'steps/util/parse.mjs', 'steps/views/index.mts']);
  });

  it('terminates on a cycle, each file once', () => {
    const { files } = project({
      'proj/steps/a.mjs': "import './b.mjs';",
      'proj/steps/b.mjs': "import './c.mjs';",
      'proj/steps/c.mjs': "import './a.mjs';\nimport './b.mjs';",
    });
    expect(files('steps/a.mjs')).toEqual(['steps/a.mjs', 'steps/b.mjs', 'steps/c.mjs']);
  });

  it("skips bare specifiers, node_modules, flow's dist, files outside the project and specifiers that resolve to nothing", () => {
    const { files } = project({
      'proj/steps/hour.mjs': [
        "import 'left-pad';",
        "import 'node:fs';",
        "import '../node_modules/dep/index.js';",
        "import '../node_modules/flow-pipelines/dist/steps/map-transform.js';",
        "import '../../outside.js';",
        "import './missing.js';",
      ].join('\n'),
      'proj/node_modules/dep/index.js': "import './more.js';",
      'proj/node_modules/dep/more.js': '',
      'proj/node_modules/flow-pipelines/dist/steps/map-transform.js': '',
      'outside.js': '',
    });
    expect(files('steps/hour.mjs')).toEqual(['steps/hour.mjs']);
  });

  it('does not follow a commented-out import', () => {
    const { files } = project({
      'proj/steps/hour.mjs': "// import './old.mjs';\n/* import './older.mjs'; */\nimport './now.mjs';",
      'proj/steps/old.mjs': '',
      'proj/steps/older.mjs': '',
      'proj/steps/now.mjs': '',
    });
    expect(files('steps/hour.mjs')).toEqual(['steps/hour.mjs', 'steps/now.mjs']);
  });

  it('hashes an imported JSON file without reading it for imports, and keeps a missing step file', () => {
    const { files } = project({
      'proj/steps/hour.mjs': "import zones from './zones.json' with { type: 'json' };",
      'proj/steps/zones.json': '{"note": "import \'./not-a-module.js\'"}',
      'proj/steps/not-a-module.js': '',
    });
    expect(files('steps/hour.mjs', 'steps/gone.mjs')).toEqual(['steps/gone.mjs', 'steps/hour.mjs', 'steps/zones.json']);
  });
});
