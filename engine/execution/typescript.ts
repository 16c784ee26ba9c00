// A TypeScript plugin compiled once, on the thread that resolves it, into one ES module: its own
// TypeScript files bundled by esbuild, everything else it imports (packages, JavaScript files, Node's
// modules) left as imports of the very files they resolve to. Worker threads then import plain
// JavaScript: tsx's loader (a hooks thread per worker, and every module the plugin imports passed
// through it) cost each thread about half a second. The fast path tsCompile; FLOW_NO_TS_COMPILE=1
// imports through tsx everywhere.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { importDynamic } from './dynamic-import.js';
import { fastPathOn } from '../contract/fast-paths.js';
import { projectRoot } from '../contract/package.js';
import { runSteps } from '../contract/plan.js';

const TYPESCRIPT = /\.(ts|mts|tsx)$/;
/** Replaced in each bundled file by its own value: the bundle lives elsewhere. */
const IMPORT_META = /\bimport\.meta\.(url|filename|dirname)\b/g;

let outDir: string | undefined;
let made = 0;
const compiling = new Map<string, Promise<string>>();

/**
 * Whether Node (and tsx) would load the TypeScript module as an ES module: `.mts`, or `.ts` whose
 * nearest package.json says "type": "module". Any other is CommonJS (`require`, `__dirname`), left to tsx.
 */
export function compilesToEsm(specifier: string): boolean {
  if (!specifier.startsWith('file:')) return false;
  if (/\.mts$/.test(specifier)) return true;
  if (!/\.tsx?$/.test(specifier)) return false;
  const manifest = path.join(projectRoot(path.dirname(fileURLToPath(specifier))), 'package.json');
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
  } catch {
    // No package.json up to the root (or an unreadable one): CommonJS, as Node reads it.
    return false;
  }
}

/** The compiled module of a TypeScript module (a file: URL), compiled on first use. */
export function compiledModule(specifier: string): Promise<string> {
  let url = compiling.get(specifier);
  if (!url) {
    url = compileTypeScript(fileURLToPath(specifier));
    compiling.set(specifier, url);
  }
  return url;
}

/**
 * The plan for this machine's threads: each ES-module TypeScript step pointing at its compiled
 * module (compiled here once, or already, when the pipeline was resolved). A step that does not
 * compile is left as it is: its threads fail to import it, as they would have.
 */
export async function compileSteps<P extends { source: { module: string }; map: Array<{ module: string }>; reduce?: { module: string } }>(plan: P): Promise<P> {
  if (!fastPathOn('tsCompile')) return plan;
  const compiled = new Map<string, string>();
  for (const { module } of runSteps(plan)) {
    const url = compilesToEsm(module) ? await compiledModule(module).catch(() => undefined) : undefined;
    if (url) compiled.set(module, url);
  }
  if (compiled.size === 0) return plan;
  const swap = <S extends { module: string }>(step: S): S => {
    const url = compiled.get(step.module);
    return url ? { ...step, module: url } : step;
  };
  return { ...plan, source: swap(plan.source), map: plan.map.map(swap), ...(plan.reduce ? { reduce: swap(plan.reduce) } : {}) };
}

/** The file: URL of the compiled module of a TypeScript file. Throws esbuild's located errors for bad TypeScript. */
export async function compileTypeScript(file: string): Promise<string> {
  const esbuild = (await importDynamic('esbuild')) as unknown as typeof import('esbuild');
  outDir ??= scratchFolder();
  const outfile = path.join(outDir, `${path.basename(file).replace(/\.[^.]+$/, '')}-${++made}.mjs`);
  await esbuild.build({
    entryPoints: [file],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [onlyTypeScriptBundled],
  });
  return pathToFileURL(outfile).href;
}

/** One folder per process, removed when it exits (the workers have their modules loaded by then). */
function scratchFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `flow-ts-${process.pid}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const onlyTypeScriptBundled: Plugin = {
  name: 'flow-only-typescript-bundled',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData === 'resolving') return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
      if (found.errors.length > 0) return { errors: found.errors };
      if (TYPESCRIPT.test(found.path) && !found.path.includes(`${path.sep}node_modules${path.sep}`)) return { path: found.path };
      // Imported where it is, as Node would import it from the plugin's own folder.
      return { path: pathToFileURL(found.path).href, external: true };
    });
    build.onLoad({ filter: TYPESCRIPT }, (args) => {
      const url = pathToFileURL(args.path).href;
      const values: Record<string, string> = { url, filename: args.path, dirname: path.dirname(args.path) };
      const contents = readFileSync(args.path, 'utf8').replace(IMPORT_META, (_, key: string) => JSON.stringify(values[key]));
      return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
    });
  },
};
