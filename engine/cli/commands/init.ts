// flow init [DIR]: scaffolds a ready-to-run project (pipeline, local TypeScript step, its test, data,
// package.json). Never overwrites: if any file exists, nothing is written.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../contract/package.js';
import { schemaFile } from '../../planning/schema/schema.js';
import { FlowError } from '../../contract/errors.js';
import { templates } from './init-templates.js';

export async function initCommand(positionals: string[]): Promise<number> {
  if (positionals.length > 1) {
    throw new FlowError({ code: 'BAD_ARGS', message: `flow init takes at most one folder, got ${positionals.length}`, hint: 'flow init my-pipeline' });
  }
  const dir = path.resolve(positionals[0] ?? '.');
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new FlowError({ code: 'BAD_ARGS', message: `flow init: ${positionals[0]} is a file, not a folder`, hint: 'flow init DIR creates DIR, or fills an existing folder' });
  }
  const files = templates({ name: npmName(path.basename(dir)), schema: schemaPath(dir), ...ranges() });
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
      throw new FlowError({ code: 'BAD_ARGS', message: `flow init: cannot write ${path.join(positionals[0] ?? '.', file)} (${reason})`, hint: 'flow init DIR needs a folder it can create files in' });
    }
  }
  const shown = positionals[0] ?? '.';
  process.stdout.write(
    [
      `created in ${shown}:`,
      ...Object.keys(files).map((f) => `  ${f}`),
      '',
      'next:',
      ...(shown === '.' ? [] : [`  cd ${shown}`]),
      '  npm install',
      '  npx flow run pipeline.yaml',
      '  npx vitest run',
      '',
    ].join('\n'),
  );
  return 0;
}

/**
 * The schema line's target: the schema inside the installed flow package (node_modules/flow), or,
 * for a project made inside flow's own folder, flow's schema file by a relative path.
 */
function schemaPath(dir: string): string {
  const rel = path.relative(packageRoot, dir);
  const insideFlow = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return insideFlow ? path.relative(dir, schemaFile).split(path.sep).join('/') : 'node_modules/flow/schemas/pipeline.schema.json';
}

function ranges(): { flowRange: string; vitestRange: string } {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string; devDependencies?: Record<string, string> };
  return { flowRange: `^${pkg.version}`, vitestRange: pkg.devDependencies?.vitest ?? '^4.0.0' };
}

function npmName(base: string): string {
  const name = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return name || 'flow-pipeline';
}
