// Peer: the best a person would write without flow. A piscina pool whose workers read their own byte
// ranges of the file (see piscina-groupby-worker.mjs); the main thread only merges per-range maps.
// Usage: node piscina-groupby.mjs FILE [threads=2] [rangeMiB=16]
import { statSync } from 'node:fs';
import { Piscina } from 'piscina';

const [file, threads = '2', rangeMiB = '16'] = process.argv.slice(2);
const size = statSync(file).size;
const step = Number(rangeMiB) * 1024 * 1024;
const pool = new Piscina({
  filename: new URL('./piscina-groupby-worker.mjs', import.meta.url).href,
  minThreads: Number(threads),
  maxThreads: Number(threads),
});
const tasks = [];
for (let start = 0; start < size; start += step) {
  tasks.push(pool.run({ file, start, end: Math.min(size, start + step), csv: file.endsWith('.csv') }));
}
const groups = new Map();
for (const part of await Promise.all(tasks)) {
  for (const [origin, [n, sum, m]] of Object.entries(part)) {
    const g = groups.get(origin);
    if (g) ((g[0] += n), (g[1] += sum), (g[2] += m));
    else groups.set(origin, [n, sum, m]);
  }
}
await pool.destroy();
const rows = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
process.stdout.write(JSON.stringify(rows.map(([origin, [n, sum, m]]) => ({ origin, flights: n, mean_delay: sum / m }))) + '\n');
