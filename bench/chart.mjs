#!/usr/bin/env node
// Draws docs/throughput.svg from bench/results/latest.json: the NDJSON group-by's throughput (MB/s,
// from the median wall) by thread count, flow beside its peers (* = hand-written); a thin line spans the slowest to the
// fastest run. Hand-written SVG, no dependencies.
// Usage: node bench/chart.mjs [results.json] [out.svg]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const input = process.argv[2] ?? path.join(root, 'bench', 'results', 'latest.json');
const output = process.argv[3] ?? path.join(root, 'docs', 'throughput.svg');
const result = JSON.parse(readFileSync(input, 'utf8'));
const sc = result.scenarios.find((s) => s.id === 'groupby-ndjson');
if (!sc) throw new Error(`${input} has no groupby-ndjson scenario: run \`node bench/run.mjs --only groupby-ndjson\``);

// Which bar goes in which thread-count group, and its colour.
const series = [
  { id: 'flow-w1', threads: 1, name: 'flow', color: '#2563eb' },
  { id: 'duckdb-w1', threads: 1, name: 'DuckDB', color: '#f59e0b' },
  { id: 'piscina-w1', threads: 1, name: 'piscina*', color: '#6b7280' },
  { id: 'node-loop', threads: 1, name: 'loop*', color: '#9ca3af' },
  { id: 'flow', threads: 2, name: 'flow', color: '#2563eb' },
  { id: 'duckdb', threads: 2, name: 'DuckDB', color: '#f59e0b' },
  { id: 'piscina', threads: 2, name: 'piscina*', color: '#6b7280' },
];
const mbps = (wall) => sc.bytes / 1e6 / wall;
const bars = series
  .map((s) => ({ ...s, tool: sc.tools.find((t) => t.id === s.id) }))
  .filter((b) => b.tool && Number.isFinite(b.tool.wall))
  .map((b) => ({ ...b, value: mbps(b.tool.wall), lo: mbps(Math.max(...b.tool.walls)), hi: mbps(Math.min(...b.tool.walls)) }));

const W = 640,
  H = 360,
  left = 56,
  right = 16,
  top = 48,
  bottom = 64;
const max = niceMax(Math.max(...bars.map((b) => b.hi)) * 1.1);
const y = (v) => top + (H - top - bottom) * (1 - v / max);
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const out = [];
out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`);
out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
out.push(
  `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">Group-by origin over ${(sc.bytes / 1e6).toFixed(0)} MB of NDJSON: throughput by threads</text>`,
);
out.push(
  `<text x="${W / 2}" y="36" text-anchor="middle" fill="#555">MB/s from the median wall of ${sc.tools[0].runs} whole-process run${sc.tools[0].runs === 1 ? '' : 's'} (higher is better); ${esc(result.machine.model)}, ${result.machine.cpus} cores</text>`,
);
for (let i = 0; i <= 4; i++) {
  const v = (max * i) / 4;
  out.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`);
  out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${v.toFixed(0)}</text>`);
}
out.push(`<text transform="translate(14 ${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#555">MB/s</text>`);

const groups = [1, 2].map((threads) => bars.filter((b) => b.threads === threads));
const groupW = (W - left - right) / groups.length;
groups.forEach((g, gi) => {
  const barW = Math.min(80, (groupW - 16) / Math.max(g.length, 1));
  const x0 = left + gi * groupW + (groupW - barW * g.length) / 2;
  g.forEach((b, i) => {
    const x = x0 + i * barW + 4,
      w = barW - 8,
      cx = x + w / 2;
    out.push(
      `<rect x="${x}" y="${y(b.value)}" width="${w}" height="${y(0) - y(b.value)}" fill="${b.color}"><title>${esc(b.tool.label)}: ${b.value.toFixed(1)} MB/s</title></rect>`,
    );
    out.push(`<line x1="${cx}" x2="${cx}" y1="${y(b.lo)}" y2="${y(b.hi)}" stroke="#111" stroke-width="1"/>`);
    out.push(`<text x="${cx}" y="${y(b.hi) - 5}" text-anchor="middle">${b.value.toFixed(0)}</text>`);
    out.push(`<text x="${cx}" y="${y(0) + 15}" text-anchor="middle">${esc(b.name)}</text>`);
  });
  out.push(`<text x="${left + gi * groupW + groupW / 2}" y="${y(0) + 36}" text-anchor="middle" font-weight="600">${gi + 1} thread${gi ? 's' : ''}</text>`);
});
out.push(`<line x1="${left}" x2="${W - right}" y1="${y(0)}" y2="${y(0)}" stroke="#111"/>`);
out.push(`<text x="${left}" y="${H - 8}" fill="#777">* by hand; line: slowest to fastest run</text>`);
out.push(`<text x="${W - right}" y="${H - 8}" text-anchor="end" fill="#777">${esc(result.date.slice(0, 16).replace('T', ' '))} UTC, node bench/run.mjs</text>`);
out.push('</svg>');
writeFileSync(output, out.join('\n') + '\n');
process.stderr.write(`wrote ${path.relative(root, output)}\n`);

function niceMax(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
}
