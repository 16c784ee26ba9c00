// Bundles the compiled CLI and its worker into dist/bundle/ (one file each), so `flow` starts without
// resolving and loading ~130 modules. Runs after tsc; the library entry points stay unbundled.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'dist/engine/cli.js', worker: 'dist/engine/schedule/worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // piscina and tsx find their own files next to themselves; ajv and listr2 load lazily by require.
  external: ['piscina', 'tsx', 'tsx/*', 'ajv', 'listr2', 'fast-check'],
  // yaml's Node build is CommonJS: give it a require that works inside an ES module.
  banner: { js: "import { createRequire as __flowRequire } from 'node:module'; const require = __flowRequire(import.meta.url);" },
});
