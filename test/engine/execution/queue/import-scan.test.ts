import { describe, expect, it } from 'vitest';
import { importedSpecifiers, withoutComments } from '../../../../engine/execution/queue/import-scan.js';

describe('importedSpecifiers', () => {
  it('finds each import form: default, named over lines, namespace, type, side effect, re-exports, dynamic, require', () => {
    const source = [
      "import hour from './a.js';",
      'import {',
      '  one,',
      '  two,',
      "} from './b';",
      "import * as all from '../c.mjs'",
      "import type { T } from './d.ts';",
      'import "./e.js";',
      "export * from './f.js';",
      "export { g } from './g';",
      "export * as h from './h.cjs';",
      "const i = await import('./i.js');",
      'const j = await import(`./j.js`);',
      "const k = require('./k.cjs');",
      "import pkg from 'some-package';",
    ].join('\n');
    expect(importedSpecifiers(source).sort()).toEqual(
      ['./a.js', './b', '../c.mjs', './d.ts', './e.js', './f.js', './g', './h.cjs', './i.js', './j.js', './k.cjs', 'some-package'].sort(),
    );
  });

  it('does not follow a dynamic import of a computed specifier', () => {
    expect(importedSpecifiers('const m = await import(`./steps/${name}.js`);\nconst n = await import(base + "/x.js");')).toEqual([]);
  });

  it('does not follow an import commented out, by a line or a block comment', () => {
    const source = [
      "// import old from './old.js';",
      '/* import "./older.js";',
      "   export * from './oldest.js'; */",
      "import now from './now.js'; // from './not-this.js'",
      "/** @see import('./doc.js') */",
    ].join('\n');
    expect(importedSpecifiers(source)).toEqual(['./now.js']);
  });

  it('is not misled by comment markers inside strings, templates and regular expressions', () => {
    const source = [
      "const url = 'http://example.com/*';",
      'const t = `a ${"}"} // ${`b /*`} c`;',
      'const re = /\\/*[/*]/g;',
      'const half = 4 / 2; const r = x.replace(/"/g, "");',
      "import kept from './kept.js';",
      "function f() { return /'/.test(s); } import also from './also.js'; /* import gone from './gone.js' */",
    ].join('\n');
    expect(importedSpecifiers(source)).toEqual(['./kept.js', './also.js']);
  });

  it('keeps line numbers and code, blanking only the comments', () => {
    const source = 'a(); // one\n/* two\nthree */ b("//");\n';
    const out = withoutComments(source);
    expect(out).toBe('a();       \n      \n         b("//");\n');
    expect(out.length).toBe(source.length);
  });

  it('ignores a word that only ends in import or require', () => {
    expect(importedSpecifiers("reimport('./x.js'); obj.require('./y.js'); myimport './z.js';")).toEqual([]);
  });
});
