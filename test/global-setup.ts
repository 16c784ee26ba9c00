// Once before the tests: build dist/ (workers and the CLI run compiled JavaScript) and make the
// real-data files (the flights parquet as NDJSON and CSV).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default async function setup(): Promise<void> {
  if (process.env.FLOW_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
    execFileSync(process.execPath, [path.join(root, 'scripts/gen-validators.mjs')], { stdio: 'inherit' });
    execFileSync(process.execPath, [path.join(root, 'scripts/bundle.mjs')], { stdio: 'inherit', cwd: root });
  }
  const { prepareData } = (await import(path.join(root, 'scripts/prepare-data.mjs'))) as { prepareData: () => Promise<unknown> };
  await prepareData();
}
