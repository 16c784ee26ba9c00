// Peer: the single-thread Node loop a person writes first: readline over a stream, JSON.parse each
// line (or split(',') for CSV), a Map of running counts and sums.
// Usage: node node-loop-groupby.mjs FILE   (FILE .ndjson or .csv)
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const file = process.argv[2];
const csv = file.endsWith('.csv');
const groups = new Map();
let originAt = -1;
let delayAt = -1;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (!line) continue;
  let origin, delay;
  if (csv) {
    const cells = line.split(',');
    if (originAt < 0) ((originAt = cells.indexOf('origin')), (delayAt = cells.indexOf('delay')));
    else ((origin = cells[originAt]), (delay = cells[delayAt] === '' ? null : Number(cells[delayAt])));
    if (origin === undefined) continue;
  } else {
    const r = JSON.parse(line);
    ((origin = r.origin), (delay = r.delay));
  }
  let g = groups.get(origin);
  if (!g) groups.set(origin, (g = { n: 0, sum: 0, m: 0 }));
  g.n++;
  if (delay != null) ((g.sum += delay), g.m++);
}
const rows = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
process.stdout.write(JSON.stringify(rows.map(([origin, g]) => ({ origin, flights: g.n, mean_delay: g.sum / g.m }))) + '\n');
