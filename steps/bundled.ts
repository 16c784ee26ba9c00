// The built-in steps as static imports, so esbuild inlines every one into the CLI and worker
// bundles; outside a bundle they are imported by URL (steps/registry.ts), like any plugin.
import { bundled, distUrl } from '../engine/contract/package.js';

type Namespace = Record<string, unknown>;

const loaders: Record<string, () => Promise<Namespace>> = {
  'source-file/index': () => import('./source-file/index.js'),
  'source-range': () => import('./source-range.js'),
  'source-random/index': () => import('./source-random/index.js'),
  'map-filter': () => import('./map-filter.js'),
  'map-transform': () => import('./map-transform.js'),
  'map-set': () => import('./map-set.js'),
  'map-select': () => import('./map-select.js'),
  'map-flat-map': () => import('./map-flat-map.js'),
  'reduce-count': () => import('./reduce-count.js'),
  'reduce-sum': () => import('./reduce-sum.js'),
  'reduce-mean': () => import('./reduce-mean.js'),
  'reduce-min': () => import('./reduce-min.js'),
  'reduce-max': () => import('./reduce-max.js'),
  'reduce-collect': () => import('./reduce-collect.js'),
  'reduce-group': () => import('./reduce-group.js'),
  'reduce-top': () => import('./reduce-top.js'),
  'output-stdout': () => import('./output-stdout.js'),
  'output-file': () => import('./output-file.js'),
};

/** The step files the bundle carries (all of them; a missing one would load from dist/steps/). */
export const bundledStepFiles = Object.keys(loaders);

/** The bundled copy of a built-in step module, when running from the bundle. */
export function bundledBuiltin(specifier: string): (() => Promise<Namespace>) | undefined {
  if (!bundled) return undefined;
  const prefix = distUrl('steps/');
  if (!specifier.startsWith(prefix)) return undefined;
  const file = specifier.slice(prefix.length, -'.js'.length);
  return Object.hasOwn(loaders, file) ? loaders[file] : undefined;
}
