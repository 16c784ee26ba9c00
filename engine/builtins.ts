// The built-in steps, by kind and name. Each is a module in steps/ whose default export is the step,
// loaded through the same door as any plugin.
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { StepKind } from './step.js';

export const builtinSteps: Record<StepKind, Record<string, string>> = {
  source: { file: 'source-file', range: 'source-range', random: 'source-random' },
  map: {
    filter: 'map-filter',
    transform: 'map-transform',
    set: 'map-set',
    select: 'map-select',
    'flat-map': 'map-flat-map',
  },
  reduce: {
    count: 'reduce-count',
    sum: 'reduce-sum',
    mean: 'reduce-mean',
    min: 'reduce-min',
    max: 'reduce-max',
    collect: 'reduce-collect',
    group: 'reduce-group',
    top: 'reduce-top',
  },
  output: { stdout: 'output-stdout', file: 'output-file' },
};

/** The compiled package root (the folder holding dist/), whether we run from dist or from source. */
const here = path.dirname(fileURLToPath(import.meta.url));
const runningFromSource = import.meta.url.endsWith('.ts');
export const packageRoot = runningFromSource ? path.resolve(here, '..') : path.resolve(here, '..', '..');
export const distRoot = path.join(packageRoot, 'dist');
/** True in the esbuild bundles of dist/bundle/ (the CLI and its worker), which carry the built-ins inside. */
export const bundled = path.basename(here) === 'bundle';

/** A file: URL of compiled JavaScript in dist/ (workers and step modules always run compiled). */
export function distUrl(relative: string): string {
  return pathToFileURL(path.join(distRoot, relative)).href;
}

export function builtinModule(kind: StepKind, name: string): string | undefined {
  const file = Object.hasOwn(builtinSteps[kind], name) ? builtinSteps[kind][name] : undefined;
  return file === undefined ? undefined : distUrl(`steps/${file}.js`);
}

export function builtinNames(kind: StepKind): string[] {
  return Object.keys(builtinSteps[kind]);
}

type Namespace = Record<string, unknown>;

// Static imports, so the bundler inlines every built-in into the CLI and worker bundles; without a
// bundle the built-ins are imported from dist/steps/ by URL, like any plugin.
const bundledLoaders: Record<string, () => Promise<Namespace>> = {
  'source-file': () => import('../steps/source-file.js'),
  'source-range': () => import('../steps/source-range.js'),
  'source-random': () => import('../steps/source-random.js'),
  'map-filter': () => import('../steps/map-filter.js'),
  'map-transform': () => import('../steps/map-transform.js'),
  'map-set': () => import('../steps/map-set.js'),
  'map-select': () => import('../steps/map-select.js'),
  'map-flat-map': () => import('../steps/map-flat-map.js'),
  'reduce-count': () => import('../steps/reduce-count.js'),
  'reduce-sum': () => import('../steps/reduce-sum.js'),
  'reduce-mean': () => import('../steps/reduce-mean.js'),
  'reduce-min': () => import('../steps/reduce-min.js'),
  'reduce-max': () => import('../steps/reduce-max.js'),
  'reduce-collect': () => import('../steps/reduce-collect.js'),
  'reduce-group': () => import('../steps/reduce-group.js'),
  'reduce-top': () => import('../steps/reduce-top.js'),
  'output-stdout': () => import('../steps/output-stdout.js'),
  'output-file': () => import('../steps/output-file.js'),
};

/** The step files the bundle carries (all of them; a missing one would load from dist/steps/). */
export const bundledStepFiles = Object.keys(bundledLoaders);

/** The bundled copy of a built-in step module, when running from the bundle. */
export function bundledBuiltin(specifier: string): (() => Promise<Namespace>) | undefined {
  if (!bundled) return undefined;
  const prefix = distUrl('steps/');
  if (!specifier.startsWith(prefix)) return undefined;
  const file = specifier.slice(prefix.length, -'.js'.length);
  return Object.hasOwn(bundledLoaders, file) ? bundledLoaders[file] : undefined;
}
