// The project files a local step runs: its own file and every file of the project it imports,
// transitively, by a relative specifier. npm packages are the lockfile's business; flow's dist and
// anything outside the project are not the project's code.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { importedSpecifiers } from './import-scan.js';
import type { Places } from './paths.js';

/** Files whose imports are followed; any other file a step imports (JSON) is hashed but not read for imports. */
const scanned = /\.(?:[cm]?ts|[cm]?js)$/;
const typescript = /\.[cm]?ts$/;
const javascript = /\.([cm]?)js$/;
/** Tried after an extensionless specifier, in tsx's order first (`.ts` before `.js`). */
const extensions = ['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs'];

const isFile = (file: string) => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

/**
 * The file a relative specifier names, as tsx resolves it for a step: from a TypeScript module a
 * `.js`/`.mjs`/`.cjs` specifier is its `.ts`/`.mts`/`.cts` source first, from JavaScript the exact
 * file first; then the usual extensions and `/index.*`. Undefined when nothing is there.
 */
export function resolveRelative(specifier: string, importer: string): string | undefined {
  const base = path.resolve(path.dirname(importer), specifier.replace(/[?#].*$/, ''));
  const source = javascript.test(base) ? [base.replace(javascript, '.$1ts')] : [];
  const direct = typescript.test(importer) ? [...source, base] : [base, ...source];
  const candidates = [...direct, ...extensions.map((ext) => base + ext), ...extensions.map((ext) => path.join(base, `index${ext}`))];
  return candidates.find(isFile);
}

/** Inside the project, outside node_modules and flow's dist. */
function isProjectFile(file: string, places: Places): boolean {
  const rel = path.relative(places.root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  if (file === places.dist || file.startsWith(places.dist + path.sep)) return false;
  return !rel.split(path.sep).includes('node_modules');
}

/** The relative specifiers of a module file (none when it is not a module or cannot be read). */
function relativeImports(file: string): string[] {
  if (!scanned.test(file)) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return importedSpecifiers(text).filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** The step files given (absolute) and the project files they import transitively: project-relative paths, sorted. */
export function stepFiles(steps: readonly string[], places: Places): string[] {
  const seen = new Set<string>(steps);
  const todo = [...steps];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    for (const specifier of relativeImports(file)) {
      const found = resolveRelative(specifier, file);
      if (found === undefined || seen.has(found) || !isProjectFile(found, places)) continue;
      seen.add(found);
      todo.push(found);
    }
  }
  return [...seen].map((file) => path.relative(places.root, file).split(path.sep).join('/')).sort();
}
