// Paths in a run's plan and chunks, from the coordinator's machine to a worker's. A worker runs in
// the pipeline's project folder: what lies under the coordinator's project root is found under the
// worker's cwd, flow's own built-in steps in the worker's own dist/, and any other absolute path (a
// shared mount, the same on every machine) stays as it is.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distRoot, projectRoot } from '../../contract/package.js';

/** Where a run's files are on one machine. */
export interface Places {
  /** The project root: the folder of the nearest package.json above the pipeline, else its folder. */
  root: string;
  /** flow's dist/ folder. */
  dist: string;
}

export function coordinatorPlaces(pipelineDir: string): Places {
  return { root: projectRoot(pipelineDir), dist: distRoot };
}

/** A worker started anywhere in the project (its root, or a folder inside it such as pipelines/) finds the same root. */
export function workerPlaces(cwd: string): Places {
  return { root: projectRoot(cwd), dist: distRoot };
}

type Rewrite = (text: string) => string;

/** Rewrites every string of `value` (deeply) that starts in one of `from`'s places to the same place in `to`. */
export function mapPaths<T>(value: T, from: Places, to: Places): T {
  if (from.root === to.root && from.dist === to.dist) return value;
  // flow's dist first: it may lie inside the project (node_modules/flow-pipelines/dist).
  const pairs: [string, string][] = [];
  for (const key of ['dist', 'root'] as const) {
    pairs.push([withSep(from[key]), withSep(to[key])], [withSep(pathToFileURL(from[key]).href, '/'), withSep(pathToFileURL(to[key]).href, '/')]);
  }
  const rewrite: Rewrite = (text) => {
    for (const [a, b] of pairs) if (text.startsWith(a)) return b + text.slice(a.length);
    for (const [a, b] of pairs) if (text === a.slice(0, -1)) return b.slice(0, -1);
    return text;
  };
  return walk(value, rewrite) as T;
}

function withSep(place: string, sep = path.sep): string {
  return place.endsWith(sep) ? place : place + sep;
}

function walk(value: unknown, rewrite: Rewrite): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, rewrite));
  // Plain objects only: typed arrays, Maps and the like hold no paths.
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, rewrite);
    return out;
  }
  return value;
}
