// Globs for the file source, matched by tinyglobby (picomatch): `*`, `?`, `[...]` within a name, `**`
// for any depth of folders, `{a,b}` anywhere. Names starting with '.' match only a pattern segment
// that starts with '.' (or a negated class: `[!a]*`, unlike a shell). Parentheses, `|` and a leading `!` are escaped and extglobs are off, so
// picomatch's regex groups, negation and `+(..)` do not apply: those are plain characters in names.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { globSync as GlobSync } from 'tinyglobby';

// Required on first use: only the main thread globs, and only for a pattern; a worker that loads the
// file source to read its chunks never needs tinyglobby.
const require = createRequire(import.meta.url);
const tinyglobby = () => (require('tinyglobby') as { globSync: typeof GlobSync }).globSync;

export function hasMagic(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** The files matching an absolute pattern, sorted by path, folder by folder. */
export function glob(pattern: string): string[] {
  // The folders before the first segment with magic are the walk's root, not part of the pattern.
  const segments = pattern.split(/[\\/]+/);
  const firstMagic = segments.findIndex(hasMagic);
  if (firstMagic < 0) return statSync(pattern, { throwIfNoEntry: false })?.isFile() ? [path.resolve(pattern)] : [];
  const cwd = segments.slice(0, firstMagic).join('/') || '/';
  const rest = segments.slice(firstMagic).join('/').replace(/[()|]/g, '\\$&').replace(/^!/, '\\!');
  const found = tinyglobby()(rest, { cwd, absolute: true, dot: false, extglob: false, expandDirectories: false, onlyFiles: true });
  return found.map((f) => path.resolve(f)).sort(byPath);
}

/** Name order, compared folder by folder: `a/z` sorts before `a-b` and `a.b`. */
function byPath(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}
