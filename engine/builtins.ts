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
