#!/usr/bin/env node
// Turns vega-datasets' 3-million-row flights parquet into NDJSON and CSV under .cache/data/ (once),
// for the real-data examples, the DuckDB-checked tests and the benchmarks.
// Usage: node scripts/prepare-data.mjs [--scale N]   (N>1 also writes flights-3m-xN.ndjson: N copies)
// Gzipped copies too (flights-3m.ndjson.gz, .csv.gz; the xN .gz is N gzip members of the 1x one).
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

async function duckdb(sql) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(sql);
  connection.closeSync?.();
}

async function make(target, sql) {
  if (existsSync(target)) return;
  const temp = `${target}.tmp`;
  await duckdb(sql(temp));
  renameSync(temp, target);
  process.stderr.write(`wrote ${path.relative(root, target)}\n`);
}

/** FILE.gz beside FILE, gzip's default level (as `gzip FILE` would), once. */
async function gzipped(file) {
  const target = `${file}.gz`;
  if (existsSync(target)) return;
  await pipeline(createReadStream(file), createGzip(), createWriteStream(`${target}.tmp`));
  renameSync(`${target}.tmp`, target);
  process.stderr.write(`wrote ${path.relative(root, target)}\n`);
}

export async function prepareData({ scale = 1 } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const parquet = path.join(vegaData, 'flights-3m.parquet').replaceAll("'", "''");
  const ndjson = path.join(dataDir, 'flights-3m.ndjson');
  const csv = path.join(dataDir, 'flights-3m.csv');
  // Dates as text: the same string in both formats, and no time zone surprises.
  const select = `SELECT strftime(date, '%Y-%m-%d %H:%M:%S') AS date, delay, distance, origin, destination FROM read_parquet('${parquet}')`;
  await make(ndjson, (out) => `COPY (${select}) TO '${out}' (FORMAT json)`);
  await make(csv, (out) => `COPY (${select}) TO '${out}' (FORMAT csv, HEADER true)`);
  await gzipped(ndjson);
  await gzipped(csv);
  if (scale > 1) {
    const big = path.join(dataDir, `flights-3m-x${scale}.ndjson`);
    const bigGz = `${big}.gz`;
    if (!existsSync(bigGz)) {
      const out = createWriteStream(`${bigGz}.tmp`);
      for (let i = 0; i < scale; i++) await pipeline(createReadStream(`${ndjson}.gz`), out, { end: i === scale - 1 });
      renameSync(`${bigGz}.tmp`, bigGz);
      process.stderr.write(`wrote ${path.relative(root, bigGz)}\n`);
    }
    if (!existsSync(big)) {
      const out = createWriteStream(`${big}.tmp`);
      for (let i = 0; i < scale; i++) await pipeline(createReadStream(ndjson), out, { end: i === scale - 1 });
      renameSync(`${big}.tmp`, big);
      process.stderr.write(`wrote ${path.relative(root, big)}\n`);
    }
  }
  return { ndjson, csv, dataDir };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--scale');
  await prepareData({ scale: i > 0 ? Number(process.argv[i + 1]) : 1 });
}
