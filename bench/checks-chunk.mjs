// One chunk's worker side of the groupby-checks scenario, on one thread: the first ~17 MB of the 3M-row
// flights NDJSON read as columns, then its record checks (not-null, where, unique) batched and their
// states made (the unique keys spilled). Prints min and median ms of each part over 25 runs.
// Usage: node bench/checks-chunk.mjs [DIST]   (DIST: a built dist/ folder, default ./dist; `npm run data` first)
import { mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = path.resolve(process.argv[2] ?? 'dist');
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
const { ndjsonColumns } = await load('steps/source-file/readers/ndjson-columns.js');
const { recordChecks } = await load('engine/execution/checks/combiners.js');
const file = path.resolve('.cache/data/flights-3m.ndjson');
const head = Buffer.alloc(1000);
readSync(openSync(file, 'r'), head, 0, head.length, 17e6);
const end = 17e6 + head.indexOf(10) + 1;
const common = { severity: 'error', allow: { count: 0 }, path: 'checks[0]' };
const checks = [
  { kind: 'not-null', name: 'not-null', fields: ['origin', 'delay'], ...common },
  { kind: 'where', name: 'where', expr: 'r.delay > -1440 && r.delay < 1440', ...common },
  { kind: 'unique', name: 'unique', fields: ['date', 'origin', 'destination'], ...common },
];
const spill = mkdtempSync(path.join(os.tmpdir(), 'flow-checks-chunk-'));
const chunkChecks = recordChecks(checks, {}, spill);
const read = [];
const checked = [];
for (let i = 0; i < 25; i++) {
  let t = performance.now();
  const batch = ndjsonColumns({ file, name: file, start: 0, end, fields: ['date', 'origin', 'destination', 'delay'] });
  read.push(performance.now() - t);
  if (!batch) throw new Error('the chunk was not read as columns');
  t = performance.now();
  const chunk = chunkChecks(i);
  chunk.batch(batch);
  chunk.states();
  checked.push(performance.now() - t);
}
rmSync(spill, { recursive: true, force: true });
const stat = (a) => {
  a.sort((x, y) => x - y);
  return `min ${a[0].toFixed(1)} ms, median ${a[a.length >> 1].toFixed(1)} ms`;
};
console.log(`read as columns: ${stat(read)}; checks (batch and states): ${stat(checked)}`);
