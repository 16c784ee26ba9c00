// flow's own version, from its package.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../contract/package.js';

let version: string | undefined;

export function ownVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
