// Bundles the compiled CLI and its worker into dist/bundle/ (one file each), so `flow` starts without
// resolving and loading ~130 modules, then writes V8's code cache for the CLI bundle (see
// engine/launch/bin.cts). The library's entry points (`flow-pipelines`, `flow-pipelines/testing`)
// are bundled too, sharing their code: a plugin importing `defineStep` loads them in every worker
// thread. Runs after tsc; the type declarations stay in dist/engine/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // piscina and tsx find their own files next to themselves (bullmq its Lua scripts); ajv, listr2 and ioredis load lazily by require.
  external: ['piscina', 'tsx', 'tsx/*', 'ajv', 'listr2', 'fast-check', 'bullmq', 'ioredis', 'esbuild'],
};
// yaml's Node build is CommonJS: give it a require that works inside an ES module.
const esmRequire = "import { createRequire as __flowRequire } from 'node:module'; const require = __flowRequire(import.meta.url);";

// CommonJS, so engine/launch/bin.cts can run it through vm.Script with a code cache.
await build({
  ...common,
  entryPoints: { cli: 'dist/engine/cli/cli.js' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__flowUrl' },
  banner: { js: "const __flowUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// The bundle's digest ends it; engine/launch/bin.cts uses a cache only when the cache starts with the same.
const cli = 'dist/bundle/cli.cjs';
appendFileSync(cli, `\n//# flowBuild=${createHash('sha256').update(readFileSync(cli)).digest('hex')}\n`);

// Workers load their file through piscina's import(): an ES module. The chunks of an earlier build go first.
for (const name of readdirSync('dist/bundle')) if (name.startsWith('worker-') || name.startsWith('lib')) rmSync(`dist/bundle/${name}`);
await build({
  ...common,
  entryPoints: { worker: 'dist/engine/execution/pool/worker.js' },
  outdir: 'dist/bundle',
  format: 'esm',
  // What a worker imports on first use (the Parquet reader and its codecs) goes to files of its own,
  // so that a worker reading text does not parse them at every start.
  splitting: true,
  chunkNames: 'worker-[name]-[hash]',
  banner: { js: esmRequire },
});

// The library (package.json "exports"): one build of both entry points, so they share one copy of the engine.
await build({
  ...common,
  entryPoints: { lib: 'dist/engine/index.js', 'lib-testing': 'dist/engine/testing/index.js' },
  outdir: 'dist/bundle',
  format: 'esm',
  splitting: true,
  chunkNames: 'lib-[name]-[hash]',
  banner: { js: esmRequire },
});

// The `flow` command: executable as built. npm makes a bin executable when it links it, not when a
// build writes it anew, so a package installed before (npx's cache of this folder) would find it not.
chmodSync('dist/engine/launch/bin.cjs', 0o755);

// A real run compiles what a run needs; the cache written after it holds that code.
rmSync('dist/bundle/cli.cache', { force: true });
execFileSync(process.execPath, ['dist/engine/launch/bin.cjs', 'run', 'pipelines/squares.yaml', '--quiet'], {
  env: { ...process.env, FLOW_WRITE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
