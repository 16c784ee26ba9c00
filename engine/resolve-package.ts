// Finds an npm package's step module from the pipeline's folder, the way `import` would.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const conditions = ['import', 'node', 'default'];

/** The absolute file `name` resolves to from `fromFile`, or undefined when there is no such package. */
export function resolvePackage(name: string, fromFile: string): string | undefined {
  try {
    // require.resolve knows CommonJS and dual packages; ESM-only `exports` fail it and fall through.
    return createRequire(fromFile).resolve(name);
  } catch {
    return resolveEsm(name, path.dirname(fromFile));
  }
}

function splitName(name: string): { pkg: string; subpath: string } {
  const parts = name.split('/');
  const n = name.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { pkg: parts.slice(0, n).join('/'), subpath: rest ? `./${rest}` : '.' };
}

function resolveEsm(name: string, fromDir: string): string | undefined {
  const { pkg, subpath } = splitName(name);
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const root = path.join(dir, 'node_modules', pkg);
    const manifest = path.join(root, 'package.json');
    if (existsSync(manifest)) return fromManifest(root, JSON.parse(readFileSync(manifest, 'utf8')) as Manifest, subpath);
    if (path.dirname(dir) === dir) return undefined;
  }
}

interface Manifest {
  exports?: unknown;
  main?: string;
}

function fromManifest(root: string, manifest: Manifest, subpath: string): string | undefined {
  if (manifest.exports !== undefined) {
    const target = exportTarget(manifest.exports, subpath);
    return target ? existing(path.join(root, target)) : undefined;
  }
  if (subpath !== '.') return existing(path.join(root, subpath)) ?? existing(path.join(root, `${subpath}.js`));
  return existing(path.join(root, manifest.main ?? 'index.js')) ?? existing(path.join(root, 'index.js'));
}

function exportTarget(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditional(exports) : undefined;
  const map = exports as Record<string, unknown>;
  if (Object.hasOwn(map, subpath)) return conditional(map[subpath]);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const [before, after] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(before) && subpath.endsWith(after) && subpath.length >= key.length - 1) {
      const target = conditional(value);
      return target?.replace(/\*/g, subpath.slice(before.length, subpath.length - after.length));
    }
  }
  return undefined;
}

function conditional(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = conditional(t);
      if (found) return found;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [cond, value] of Object.entries(target)) {
      if (conditions.includes(cond)) {
        const found = conditional(value);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function existing(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
