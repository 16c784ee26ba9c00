// flow init [DIR] [--flow-spec SPEC]: scaffolds a ready-to-run project (pipeline, local TypeScript
// step, its test, data, package.json, tsconfig.json). Never overwrites: if any file exists, nothing is
// written.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../contract/package.js';
import { schemaFile } from '../../planning/schema/schema.js';
import { FlowError } from '../../contract/errors.js';
import { templates } from './init-templates.js';

export interface InitOptions {
  /** The project's dependency spec for flow-pipelines, written as given (`^0.1.0`, `file:../flow`). */
  'flow-spec'?: string;
  /** -q: no list of the files written, no next steps. */
  quiet?: boolean;
}

export async function initCommand(positionals: string[], options: InitOptions = {}): Promise<number> {
  if (positionals.length > 1) {
    throw new FlowError({ code: 'BAD_ARGS', message: `flow init takes at most one folder, got ${positionals.length}`, hint: 'flow init my-pipeline' });
  }
  if (options['flow-spec'] !== undefined && options['flow-spec'].trim() === '') {
    throw new FlowError({
      code: 'BAD_ARGS',
      message: 'flow init: --flow-spec needs a value',
      hint: 'e.g. --flow-spec ^0.1.0 or --flow-spec file:../flow-pipelines-0.1.0.tgz',
    });
  }
  const dir = path.resolve(positionals[0] ?? '.');
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `flow init: ${positionals[0]} is a file, not a folder`,
      hint: 'flow init DIR creates DIR, or fills an existing folder',
    });
  }
  const pkg = ownPackage();
  const files = templates({
    name: npmName(path.basename(dir)),
    schema: schemaPath(dir),
    flowSpec: options['flow-spec']?.trim() ?? flowSpec(dir, pkg.version),
    vitestRange: pkg.devDependencies?.vitest ?? '^4.0.0',
    typescriptRange: pkg.devDependencies?.typescript ?? '^5.9.0',
  });
  const existing = Object.keys(files).filter((file) => existsSync(path.join(dir, file)));
  if (existing.length > 0) {
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `flow init: ${existing.map((f) => path.join(positionals[0] ?? '.', f)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`,
      hint: 'flow init never overwrites files: choose a new or empty folder, e.g. flow init my-pipeline',
    });
  }
  for (const [file, text] of Object.entries(files)) {
    try {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text, { flag: 'wx' });
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new FlowError({
        code: 'BAD_ARGS',
        message: `flow init: cannot write ${path.join(positionals[0] ?? '.', file)} (${reason})`,
        hint: 'flow init DIR needs a folder it can create files in',
      });
    }
  }
  const shown = positionals[0] ?? '.';
  if (options.quiet) return 0;
  process.stdout.write(
    [
      `created in ${shown}:`,
      ...Object.keys(files).map((f) => `  ${f}`),
      '',
      'next:',
      ...(shown === '.' ? [] : [`  cd ${shown}`]),
      '  npm install',
      '  npx flow run pipeline.yaml',
      '  npm test',
      '',
    ].join('\n'),
  );
  return 0;
}

interface OwnPackage {
  version: string;
  devDependencies?: Record<string, string>;
}

function ownPackage(): OwnPackage {
  return JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as OwnPackage;
}

/**
 * The new project's dependency on flow-pipelines: the flow that made the project, wherever it came from,
 * so that `npm install` gets that very flow whether or not the registry has its version.
 * - flow runs from a folder outside any node_modules (a checkout, `npm link`, `npm install -g DIR`):
 *   `file:` that folder.
 * - flow was installed into a node_modules folder, and npm's record of that install (the `resolved` of
 *   its entry in node_modules/.package-lock.json, which `npm exec`/npx keep too) says it came from a
 *   local tarball or folder: `file:` that same tarball or folder.
 * - otherwise (from the registry, or installed by a tool that keeps no such record): `^VERSION`.
 * A `file:` path is relative to the project, as `npm install PATH` would save it. `--flow-spec` overrides.
 */
export function flowSpec(projectDir: string, version: string, root = packageRoot): string {
  const parts = root.split(path.sep);
  const first = parts.indexOf('node_modules');
  if (first < 0) return fileSpec(projectDir, root);
  const treeRoot = parts.slice(0, first).join(path.sep) + path.sep;
  const resolved = lockedResolved(treeRoot, parts.slice(first).join('/'));
  if (resolved?.startsWith('file:')) return fileSpec(projectDir, path.resolve(treeRoot, resolved.slice('file:'.length)));
  return `^${version}`;
}

function lockedResolved(treeRoot: string, key: string): string | undefined {
  try {
    const lock = JSON.parse(readFileSync(path.join(treeRoot, 'node_modules', '.package-lock.json'), 'utf8')) as {
      packages?: Record<string, { resolved?: unknown }>;
    };
    const resolved = lock.packages?.[key]?.resolved;
    return typeof resolved === 'string' ? resolved : undefined;
  } catch {
    return undefined;
  }
}

function fileSpec(projectDir: string, target: string): string {
  const rel = path.relative(projectDir, target).split(path.sep).join('/');
  return `file:${rel === '' ? '.' : rel}`;
}

/**
 * The schema line's target: the schema inside the installed package (node_modules/flow-pipelines), or,
 * for a project made inside flow's own folder, flow's schema file by a relative path.
 */
function schemaPath(dir: string): string {
  const rel = path.relative(packageRoot, dir);
  const insideFlow = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return insideFlow ? path.relative(dir, schemaFile).split(path.sep).join('/') : 'node_modules/flow-pipelines/schemas/pipeline.schema.json';
}

function npmName(base: string): string {
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'flow-pipeline';
}
