#!/usr/bin/env node
// The win of each fast path: the same pipeline with its switch off and on, interleaved (off on off
// on ...), one warm-up pair then N timed pairs; medians and the ratio off/on. The outputs must agree.
// Usage: node bench/fast-paths.mjs [--runs N] [--only PATH,PATH]   (the answers in docs/architecture.md come from here)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/engine/launch/bin.cjs');
const pipeline = (name) => path.join(root, 'bench', 'pipelines', name);
const i = process.argv.indexOf('--runs');
const runs = i > 0 ? Number(process.argv[i + 1]) : 7;
const o = process.argv.indexOf('--only');
const only = o > 0 ? process.argv[o + 1].split(',') : undefined;

const cases = [
  {
    path: 'projection',
    env: 'FLOW_NO_PROJECTION',
    what: 'group-by origin, 277 MB NDJSON, 2 workers',
    args: [pipeline('groupby-ndjson.yaml'), '--workers', '2'],
  },
  { path: 'projection', env: 'FLOW_NO_PROJECTION', what: 'group-by origin, 106 MB CSV, 2 workers', args: [pipeline('groupby-csv.yaml'), '--workers', '2'] },
  { path: 'emit', env: 'FLOW_NO_EMIT', what: 'group-by origin, 277 MB NDJSON, 2 workers', args: [pipeline('groupby-ndjson.yaml'), '--workers', '2'] },
  {
    path: 'numbers',
    env: 'FLOW_NO_NUMBERS',
    what: 'sum of squares of range(10M), 2 workers',
    args: [pipeline('squares-sum.yaml'), '--workers', '2', '--set', 'n=10000000'],
  },
  {
    path: 'numbers',
    env: 'FLOW_NO_NUMBERS',
    what: 'mean of 10M random numbers, 2 workers',
    args: [pipeline('random-mean.yaml'), '--workers', '2', '--set', 'count=10000000'],
  },
  { path: 'inProcess', env: 'FLOW_NO_IN_PROCESS', what: 'squares of range(100), collect', args: [pipeline('squares-100.yaml'), '--workers', '2'] },
  { path: 'inProcess', env: 'FLOW_NO_IN_PROCESS', what: 'sum of squares of range(1M), 2 workers', args: [pipeline('squares-sum.yaml'), '--workers', '2'] },
  { path: 'wasm', env: 'FLOW_NO_WASM', what: 'mean of 100M random numbers, 2 workers', args: [pipeline('random-mean.yaml'), '--workers', '2'] },
  {
    path: 'wasm',
    env: 'FLOW_NO_WASM',
    what: 'group-by origin, the 3M-row flights Parquet (the column kernels), 2 workers',
    args: [pipeline('groupby-parquet.yaml'), '--workers', '2'],
  },
  {
    path: 'columns',
    env: 'FLOW_NO_COLUMNS',
    what: 'group-by origin, the 3M-row flights Parquet, 2 workers',
    args: [pipeline('groupby-parquet.yaml'), '--workers', '2'],
  },
  {
    path: 'sharedText',
    env: 'FLOW_NO_SHARED_TEXT',
    what: 'group-by origin, the 277 MB NDJSON gzipped (one stream), 2 workers',
    args: [pipeline('groupby-ndjson-gz.yaml'), '--workers', '2'],
  },
  {
    path: 'ndjsonColumns',
    env: 'FLOW_NO_NDJSON_COLUMNS',
    what: 'group-by origin, 277 MB NDJSON, 2 workers',
    args: [pipeline('groupby-ndjson.yaml'), '--workers', '2'],
  },
  {
    path: 'ndjsonColumns',
    env: 'FLOW_NO_NDJSON_COLUMNS',
    what: 'group-by origin, the 277 MB NDJSON gzipped (one stream), 2 workers',
    args: [pipeline('groupby-ndjson-gz.yaml'), '--workers', '2'],
  },
  {
    path: 'feederFirst',
    env: 'FLOW_NO_FEEDER_FIRST',
    what: 'group-by origin, the 277 MB NDJSON gzipped (one stream), 2 workers',
    args: [pipeline('groupby-ndjson-gz.yaml'), '--workers', '2'],
  },
].filter((c) => !only || only.includes(c.path));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const c of cases) {
  const env = (on) => ({ ...process.env, [c.env]: on ? '' : '1' });
  const args = [cli, 'run', ...c.args, '--quiet'];
  const answer = (on) => execFileSync(process.execPath, args, { env: env(on), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (answer(true) !== answer(false)) throw new Error(`${c.path}: the output differs with ${c.env}=1 (${c.what})`);
  const times = { on: [], off: [] };
  for (let r = 0; r < runs; r++) {
    for (const on of [false, true]) times[on ? 'on' : 'off'].push((await measure({ cmd: process.execPath, args, env: env(on) })).wall);
  }
  const row = { ...c, on: median(times.on), off: median(times.off) };
  rows.push(row);
  process.stderr.write(`${c.path}: ${c.what}: on ${row.on.toFixed(3)} s, off ${row.off.toFixed(3)} s, ${(row.off / row.on).toFixed(2)}x\n`);
}
console.log(`| fast path | switch | scenario | on (s) | off (s) | off / on |\n|---|---|---|--:|--:|--:|`);
for (const r of rows) console.log(`| ${r.path} | ${r.env}=1 | ${r.what} | ${r.on.toFixed(3)} | ${r.off.toFixed(3)} | ${(r.off / r.on).toFixed(2)}x |`);
