// node:zlib on first use. Loading it costs about 15M instructions (3 ms here) in the CLI and again in
// every worker thread, and only gzip input or output needs it: a static import paid that on every run.
import { createRequire } from 'node:module';

type Zlib = typeof import('node:zlib');

let loaded: Zlib | undefined;

export function zlib(): Zlib {
  return (loaded ??= createRequire(import.meta.url)('node:zlib') as Zlib);
}
