// Where a local plugin module may live: inside the pipeline's project folder (the nearest folder up
// from the pipeline holding a package.json, else the pipeline's folder), or inside a folder the user
// trusted with --allow-plugin-path. A pipeline file from elsewhere must not run arbitrary code on disk.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../contract/package.js';

export interface PluginPathRules {
  /** Absolute folder of the pipeline file. */
  dir: string;
  /** Absolute folders trusted by --allow-plugin-path. */
  allow?: readonly string[];
}

export interface PathProblem {
  message: string;
  hint: string;
}

function inside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function roots(rules: PluginPathRules): string[] {
  return [projectRoot(rules.dir), ...(rules.allow ?? [])];
}

const projectRule = 'a local step must stay inside the project (the nearest folder up from the pipeline with a package.json)';

/** Checks the path as written, before looking for the file: absolute paths and `..` escapes. */
export function writtenPathProblem(name: string, rules: PluginPathRules): PathProblem | undefined {
  const absolute = path.resolve(rules.dir, name);
  if (roots(rules).some((root) => inside(absolute, root))) return undefined;
  // The flag resolves against the current directory: name the folder from there.
  const folder = path.isAbsolute(name) ? path.dirname(name) : path.relative(process.cwd(), path.dirname(absolute)) || '.';
  return {
    message: `plugin path "${name}" ${path.isAbsolute(name) ? 'is absolute' : "leads outside the pipeline's project folder"}`,
    hint: `${projectRule}; to trust its folder, pass --allow-plugin-path ${folder}`,
  };
}

/** Checks the file found, symlinks resolved: a link inside the project may not point out of it. */
export function realPathProblem(name: string, file: string, rules: PluginPathRules): PathProblem | undefined {
  const target = real(file);
  if (roots(rules).some((root) => inside(target, real(root)))) return undefined;
  return {
    message: `plugin path "${name}" is a symbolic link to a file outside the pipeline's project folder`,
    hint: `${projectRule}; copy the module in, or pass --allow-plugin-path with the folder the link points to`,
  };
}
