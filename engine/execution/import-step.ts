// Imports a step module, on the main thread or in a worker, by the same road for built-ins and plugins.
import { bundledBuiltin } from '../../steps/bundled.js';
import { importDynamic } from './dynamic-import.js';
import { compiledModule, compilesToEsm } from './typescript.js';
import { fastPathOn } from '../contract/fast-paths.js';
import type { Step } from '../contract/step.js';

const typescriptExtensions = /\.(ts|mts|cts)$/;

export function isTypeScriptModule(specifier: string): boolean {
  return typescriptExtensions.test(specifier);
}

/** The module's namespace; TypeScript compiled once (typescript.ts), or through tsx's scoped loader (no global hooks). */
export async function importModule(specifier: string): Promise<Record<string, unknown>> {
  const builtin = bundledBuiltin(specifier);
  if (builtin) return builtin();
  if (!isTypeScriptModule(specifier)) return importDynamic(specifier);
  if (fastPathOn('tsCompile') && compilesToEsm(specifier)) return importDynamic(await compiledModule(specifier));
  const { tsImport } = (await importDynamic('tsx/esm/api')) as unknown as typeof import('tsx/esm/api');
  return (await tsImport(specifier, import.meta.url)) as Record<string, unknown>;
}

/** The exported value: the default export, unwrapping a CommonJS-compiled `exports.default`. */
export function pickExport(namespace: Record<string, unknown>, exportName = 'default'): unknown {
  const value = namespace[exportName];
  if (exportName === 'default' && isStepLike((value as { default?: unknown } | undefined)?.default) && !isStepLike(value)) {
    return (value as { default: unknown }).default;
  }
  return value;
}

export function isStepLike(value: unknown): value is Step {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

const cache = new Map<string, Promise<Step>>();

/** A step module's step object (cached per specifier and export). Validity is checked by resolve. */
export function importStep(specifier: string, exportName?: string): Promise<Step> {
  const key = `${specifier}#${exportName ?? 'default'}`;
  let step = cache.get(key);
  if (!step) {
    step = importModule(specifier).then((ns) => pickExport(ns, exportName) as Step);
    cache.set(key, step);
  }
  return step;
}
