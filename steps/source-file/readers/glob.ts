// A small glob: `*`, `?`, `[...]` within a name, `**` for any depth of folders, `{a,b}` anywhere.
// Names starting with '.' match only a pattern segment that starts with '.', like a shell's.
import fs from 'node:fs';
import path from 'node:path';

export function hasMagic(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** `a{b,c{d,e}}f` -> [abf, acdf, acef]; a brace without a top-level comma stays literal. */
export function expandBraces(pattern: string): string[] {
  for (let open = pattern.indexOf('{'); open >= 0; open = pattern.indexOf('{', open + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = open; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '{') depth++;
      else if (c === ',' && depth === 1) commas.push(i);
      else if (c === '}' && --depth === 0) {
        if (commas.length === 0) break;
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        const cuts = [open, ...commas, i];
        return cuts.slice(1).flatMap((end, k) => expandBraces(head + pattern.slice(cuts[k]! + 1, end) + tail));
      }
    }
  }
  return [pattern];
}

/** A RegExp for one path segment (no '/'). */
export function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The files matching an absolute pattern, sorted by path, folder by folder. */
export function glob(pattern: string): string[] {
  const found = new Set<string>();
  for (const one of expandBraces(pattern)) {
    const segments = one.split(/[\\/]+/);
    const firstMagic = segments.findIndex(hasMagic);
    if (firstMagic < 0) {
      if (isFile(one)) found.add(path.resolve(one));
      continue;
    }
    const base = segments.slice(0, firstMagic).join('/') || '/';
    walk(base, segments.slice(firstMagic), found);
  }
  return [...found].sort(byPath);
}

function walk(dir: string, rest: string[], found: Set<string>): void {
  const [segment, ...more] = rest;
  if (segment === undefined) return;
  if (segment === '**') {
    walk(dir, more, found); // zero folders
    for (const entry of list(dir)) {
      // Symbolic links to folders are not followed under ** (they could loop).
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(path.join(dir, entry.name), rest, found);
    }
    return;
  }
  if (!hasMagic(segment)) {
    const next = path.join(dir, segment);
    if (more.length === 0) {
      if (isFile(next)) found.add(next);
    } else walk(next, more, found);
    return;
  }
  const re = segmentRegExp(segment);
  const dotOk = segment.startsWith('.');
  for (const entry of list(dir)) {
    if ((entry.name.startsWith('.') && !dotOk) || !re.test(entry.name)) continue;
    const next = path.join(dir, entry.name);
    if (more.length === 0) {
      if (isFile(next)) found.add(next);
    } else walk(next, more, found);
  }
}

function list(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a folder that is not there matches nothing
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
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
