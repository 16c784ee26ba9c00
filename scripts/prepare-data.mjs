#!/usr/bin/env node
// Turns vega-datasets' 3-million-row flights parquet into NDJSON and CSV under .cache/data/ (once),
// for the real-data examples, the DuckDB-checked tests and the benchmarks. flow converts it itself
// (scripts/flights-convert.yaml, through dist/: run `npm run build` first); DuckDB is the oracle
// that checks the result (test/scripts/prepare-data.e2e.test.ts).
// Usage: node scripts/prepare-data.mjs [--scale N]   (N>1 also writes flights-3m-xN.ndjson: N copies)
// Gzipped copies too (flights-3m.ndjson.gz, .csv.gz; the xN .gz is N gzip members of the 1x one).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, createWriteStream, createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dataDir = path.join(root, '.cache', 'data');
const require = createRequire(import.meta.url);
export const vegaData = path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');

export const flightsParquet = path.join(vegaData, 'flights-3m.parquet');
const cli = path.join(root, 'dist', 'engine', 'launch', 'bin.cjs');

/** `flow run scripts/flights-convert.yaml -o target`: the output is written atomically (temp + rename). */
function convert(target) {
  if (existsSync(target)) return;
  if (!existsSync(cli)) throw new Error(`${path.relative(root, cli)} is missing: run \`npm run build\` first`);
  const pipeline = path.join(root, 'scripts', 'flights-convert.yaml');
  execFileSync(process.execPath, [cli, 'run', pipeline, '--quiet', '--set', `input=${flightsParquet}`, '-o', target], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.stderr.write(`wrote ${path.relative(root, target)}\n`);
}

// Each process writes its own temp: two test runs or benchmarks preparing the data at once must not
// rename each other's half-written file.
const tempOf = (target) => `${target}.${process.pid}.tmp`;

/** FILE.gz beside FILE, gzip's default level (as `gzip FILE` would), once. */
async function gzipped(file) {
  const target = `${file}.gz`;
  if (existsSync(target)) return;
  const temp = tempOf(target);
  await pipeline(createReadStream(file), createGzip(), createWriteStream(temp));
  renameSync(temp, target);
  process.stderr.write(`wrote ${path.relative(root, target)}\n`);
}

export async function prepareData({ scale = 1 } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const ndjson = path.join(dataDir, 'flights-3m.ndjson');
  const csv = path.join(dataDir, 'flights-3m.csv');
  // Dates as text (flow reads a Parquet timestamp as DuckDB writes it): the same string in both formats.
  convert(ndjson);
  convert(csv);
  await gzipped(ndjson);
  await gzipped(csv);
  if (scale > 1) {
    const big = path.join(dataDir, `flights-3m-x${scale}.ndjson`);
    const bigGz = `${big}.gz`;
    if (!existsSync(bigGz)) {
      const temp = tempOf(bigGz);
      const out = createWriteStream(temp);
      for (let i = 0; i < scale; i++) await pipeline(createReadStream(`${ndjson}.gz`), out, { end: i === scale - 1 });
      renameSync(temp, bigGz);
      process.stderr.write(`wrote ${path.relative(root, bigGz)}\n`);
    }
    if (!existsSync(big)) {
      const temp = tempOf(big);
      const out = createWriteStream(temp);
      for (let i = 0; i < scale; i++) await pipeline(createReadStream(ndjson), out, { end: i === scale - 1 });
      renameSync(temp, big);
      process.stderr.write(`wrote ${path.relative(root, big)}\n`);
    }
  }
  return { ndjson, csv, parquet: flightsParquet, dataDir };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--scale');
  await prepareData({ scale: i > 0 ? Number(process.argv[i + 1]) : 1 });
}
