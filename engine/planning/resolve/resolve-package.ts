// Finds an npm package's step module from the pipeline's folder, the way `import` would: the
// node_modules folders from the pipeline's folder up, and nowhere else (not NODE_PATH, not global
// folders, not flow's own dependencies), so a pipeline only runs the packages of its own project.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const importConditions = ['import', 'node', 'default'];
const requireConditions = ['require', 'node', 'default'];

/** The absolute file `name` resolves to from `fromFile`, or undefined when there is no such package. */
export function resolvePackage(name: string, fromFile: string): string | undefined {
  // `pkg/../x` must not climb out of the package.
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) return undefined;
  const { pkg, subpath } = splitName(name);
  const root = packageRoot(pkg, path.dirname(fromFile));
  return root ? fromManifest(root.dir, root.manifest, subpath) : undefined;
}

/**
 * The project's package.json (the nearest one up from the pipeline) when it does not declare the
 * package among its dependencies: an npm step must be a dependency of the pipeline's own project,
 * not merely something that happens to sit in node_modules. Undefined when declared, or when the
 * pipeline belongs to no project.
 */
export function undeclaredIn(name: string, fromFile: string): string | undefined {
  const { pkg } = splitName(name);
  for (let dir = path.dirname(fromFile); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const m = readManifest(manifest) as Record<string, unknown>;
      const kinds = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
      const declared = kinds.some((kind) => typeof m[kind] === 'object' && m[kind] !== null && Object.hasOwn(m[kind] as object, pkg));
      // A package's own steps (pipelines inside the package that defines them) count as declared.
      return declared || m.name === pkg ? undefined : manifest;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A step in a package: a module, and the named export holding the step when it is not the default. */
export interface PackageStep {
  file: string;
  exportName?: string;
}

/**
 * `pkg` and `pkg/sub` as import would find them; else, for `pkg/name` when the package exports no
 * `./name`, the main module's export named `name` (one module exporting several steps).
 */
export function resolvePackageStep(name: string, fromFile: string): PackageStep | undefined {
  const file = resolvePackage(name, fromFile);
  if (file) return { file };
  const { pkg, subpath } = splitName(name);
  const exportName = subpath.slice(2);
  if (subpath === '.' || exportName.includes('/')) return undefined;
  const main = resolvePackage(pkg, fromFile);
  return main ? { file: main, exportName } : undefined;
}

function splitName(name: string): { pkg: string; subpath: string } {
  const parts = name.split('/');
  const n = name.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { pkg: parts.slice(0, n).join('/'), subpath: rest ? `./${rest}` : '.' };
}

function packageRoot(pkg: string, fromDir: string): { dir: string; manifest: Manifest } | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const root = path.join(dir, 'node_modules', pkg);
    const manifest = path.join(root, 'package.json');
    if (existsSync(manifest)) return { dir: root, manifest: readManifest(manifest) };
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A package.json that does not parse has no usable `exports` or `main`: the package's index.js is tried. */
function readManifest(file: string): Manifest {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return {};
  }
}

interface Manifest {
  exports?: unknown;
  main?: string;
}

function fromManifest(root: string, manifest: Manifest, subpath: string): string | undefined {
  if (manifest.exports !== undefined) {
    const target = exportTarget(manifest.exports, subpath, importConditions) ?? exportTarget(manifest.exports, subpath, requireConditions);
    return target ? existing(path.join(root, target)) : undefined;
  }
  // No `exports`: CommonJS rules (a file, the file with .js, or a folder's index.js).
  const target = path.join(root, subpath === '.' ? (manifest.main ?? 'index.js') : subpath);
  return (
    existing(target) ??
    existing(`${target}.js`) ??
    existing(path.join(target, 'index.js')) ??
    (subpath === '.' ? existing(path.join(root, 'index.js')) : undefined)
  );
}

function exportTarget(exports: unknown, subpath: string, conditions: string[]): string | undefined {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditional(exports, conditions) : undefined;
  const map = exports as Record<string, unknown>;
  if (Object.hasOwn(map, subpath)) return conditional(map[subpath], conditions);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const [before, after] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(before) && subpath.endsWith(after) && subpath.length >= key.length - 1) {
      const target = conditional(value, conditions);
      return target?.replace(/\*/g, subpath.slice(before.length, subpath.length - after.length));
    }
  }
  return undefined;
}

function conditional(target: unknown, conditions: string[]): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = conditional(t, conditions);
      if (found) return found;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [cond, value] of Object.entries(target)) {
      if (conditions.includes(cond)) {
        const found = conditional(value, conditions);
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
