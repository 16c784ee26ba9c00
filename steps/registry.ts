// The built-in steps, by kind and name: each a module whose default export is the step, loaded
// through the same door as any plugin.
import { bundled, distUrl } from '../engine/contract/package.js';
import type { StepKind } from '../engine/contract/step.js';

export const builtinSteps: Record<StepKind, Record<string, string>> = {
  source: { file: 'source-file/index', range: 'source-range', random: 'source-random/index' },
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

// Beside this file: TypeScript when running from source (tests), compiled JavaScript in dist/.
// The bundles name dist/steps/, which they map to the copies they carry (steps/bundled.ts).
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The module specifier (a file: URL) of a built-in step, or undefined for an unknown name. */
export function builtinModule(kind: StepKind, name: string): string | undefined {
  const file = Object.hasOwn(builtinSteps[kind], name) ? builtinSteps[kind][name] : undefined;
  if (file === undefined) return undefined;
  return bundled ? distUrl(`steps/${file}.js`) : new URL(`./${file}${extension}`, import.meta.url).href;
}

export function builtinNames(kind: StepKind): string[] {
  return Object.keys(builtinSteps[kind]);
}
