// The test files a `flow test` names: each PATH a file or a folder (default: the current folder),
// folders searched for *.test.yaml outside node_modules and dot folders, in name order.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { FlowError } from '../../../contract/errors.js';

export const TEST_SUFFIX = '.test.yaml';

export function findTestFiles(paths: string[]): string[] {
  const found = new Set<string>();
  for (const given of paths.length > 0 ? paths : ['.']) {
    const stat = statOrUndefined(given);
    if (!stat)
      throw new FlowError({
        code: 'BAD_ARGS',
        message: `no such file or folder: ${given}`,
        hint: 'flow test [PATH...]: test files (*.test.yaml) or folders holding them',
      });
    if (stat.isDirectory()) for (const file of walk(given)) found.add(file);
    else found.add(path.normalize(given));
  }
  if (found.size === 0) {
    const where = paths.length > 0 ? paths.join(', ') : 'the current folder';
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `no test files (*${TEST_SUFFIX}) under ${where}`,
      hint: 'a test file names a pipeline and its tests: see "Pipeline tests" in the README',
    });
  }
  return [...found];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...walk(full));
    } else if (entry.name.endsWith(TEST_SUFFIX) && (entry.isFile() || statOrUndefined(full)?.isFile())) out.push(full);
  }
  return out;
}

function statOrUndefined(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
