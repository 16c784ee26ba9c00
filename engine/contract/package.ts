// Where flow's own files are: the package root and its compiled dist/, from source, dist or a bundle.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** True in the esbuild bundles of dist/bundle/ (the CLI and its worker), which carry the built-ins inside. */
export const bundled = path.basename(here) === 'bundle';
const runningFromSource = import.meta.url.endsWith('.ts');
/** The package root (the folder holding dist/): engine/contract/ from source, dist/engine/contract/ or dist/bundle/ compiled. */
export const packageRoot = bundled ? path.resolve(here, '..', '..') : runningFromSource ? path.resolve(here, '..', '..') : path.resolve(here, '..', '..', '..');
export const distRoot = path.join(packageRoot, 'dist');

/** A file: URL of compiled JavaScript in dist/. */
export function distUrl(relative: string): string {
  return pathToFileURL(path.join(distRoot, relative)).href;
}

/** A project's root: the nearest folder from `dir` up that holds a package.json, else `dir` itself. */
export function projectRoot(dir: string): string {
  const start = path.resolve(dir);
  for (let d = start; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return start;
  }
}
