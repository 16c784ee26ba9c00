// Every fast path flow takes, by name, with the variable that turns it off. A fast path is a second
// implementation of something that already works; docs/architecture.md lists each one with the test
// that proves it gives the same bytes as the slow path, and its measured win.
export const fastPaths = {
  /** Readers parse only the fields the pipeline reads (NDJSON, CSV with a header). */
  projection: 'FLOW_NO_PROJECTION',
  /** Whole NDJSON records of a learned line shape are built by a compiled pattern, not JSON.parse and a repeated-key count. */
  shapes: 'FLOW_NO_SHAPES',
  /** Numeric jobs go through every step as one Float64Array per chunk, with no record objects. */
  numbers: 'FLOW_NO_NUMBERS',
  /** A source hands records to a callback instead of an iterator. */
  emit: 'FLOW_NO_EMIT',
  /** A tiny job of built-in steps runs in this process instead of starting worker threads. */
  inProcess: 'FLOW_NO_IN_PROCESS',
  /** WebAssembly kernels: the random fill, exact sums of uniform floats, Parquet index unpacking and group's loops over columns. */
  wasm: 'FLOW_NO_WASM',
  /** A reducer right after the source adds a chunk from its columns (Parquet, NDJSON), with no record objects. */
  columns: 'FLOW_NO_COLUMNS',
  /** NDJSON lines of one shape are read from their bytes into columns for such a reducer, with no string per line. */
  ndjsonColumns: 'FLOW_NO_NDJSON_COLUMNS',
  /** flow run --queue: map-only records that JSON gives back exactly come back as JSON, not v8-serialized. */
  queueJson: 'FLOW_NO_QUEUE_JSON',
  /** A stream's chunk bytes (gzip, stdin) go to their thread through a reused shared slot, not in the chunk's own buffer. */
  sharedText: 'FLOW_NO_SHARED_TEXT',
  /** Worker threads given a stream's chunks run below the main thread that cuts them, so it is never starved. */
  feederFirst: 'FLOW_NO_FEEDER_FIRST',
  /** flow test runs each test's many-chunk run on two threads kept from test to test, not two started for it. */
  sharedThreads: 'FLOW_NO_SHARED_THREADS',
  /** A TypeScript plugin is compiled once by esbuild where it is resolved; worker threads import the JavaScript, not tsx's loader. */
  tsCompile: 'FLOW_NO_TS_COMPILE',
} as const;

export type FastPath = keyof typeof fastPaths;

/** False when the fast path's variable is set to 1. */
export function fastPathOn(name: FastPath, env: NodeJS.ProcessEnv = process.env): boolean {
  return env[fastPaths[name]] !== '1';
}
