#!/usr/bin/env node
// The `flow` binary. It runs the CLI bundle (dist/bundle/cli.cjs) through vm.Script with V8's code
// cache, built by `npm run build` for exactly that bundle: a run then skips most parsing and
// compiling, about a fifth of flow's start-up. Without a cache that matches, it compiles as usual.
// Its replacement: `module.enableCompileCache()` (Node 22.1+) keeps V8's code cache for every module
// by itself; once flow needs Node 22, this loader, the cache writing in scripts/bundle.mjs and the
// import door (engine/execution/dynamic-import.ts) go, and the binary just requires the bundle.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

const bundle = path.join(__dirname, '..', '..', 'bundle', 'cli.cjs');
const cacheFile = path.join(__dirname, '..', '..', 'bundle', 'cli.cache');
// esbuild writes ASCII (it escapes the rest), which reads fastest as latin1.
const source = readFileSync(bundle, 'latin1').replace(/^#!.*/, '');
// V8 checks a cache against the source's length only, so the build ends the bundle with its digest
// (scripts/bundle.mjs) and starts the cache with the same: hashing here would cost more than it saves.
const idAt = source.lastIndexOf('//# flowBuild=');
const buildId = idAt < 0 ? undefined : Buffer.from(source.slice(idAt), 'latin1');

function cachedData(): Buffer | undefined {
  if (!buildId) return undefined;
  try {
    const data = readFileSync(cacheFile);
    return data.subarray(0, buildId.length).equals(buildId) ? data.subarray(buildId.length) : undefined;
  } catch {
    return undefined;
  }
}

const cache = cachedData();
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  ...(cache ? { cachedData: cache } : {}),
});
// Code run by vm.Script cannot call import(): the bundle imports plugins and tsx through this.
(globalThis as { [key: symbol]: unknown })[Symbol.for('flow.import')] = (specifier: string) => import(specifier);

// The build writes the cache after a real run, so it also holds the functions that run compiled.
if (process.env.FLOW_WRITE_CODE_CACHE === '1' && buildId) {
  process.once('beforeExit', () => writeFileSync(cacheFile, Buffer.concat([buildId, script.createCachedData()])));
}

const cli = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void).call(cli.exports, cli.exports, createRequire(bundle), cli, bundle, path.dirname(bundle));
