#!/usr/bin/env node
// `npm run bench`: flow against its peers, interleaved (A B A B ...), one warm-up then N timed runs.
// Usage: node bench/run.mjs [--runs N] [--only id,id] [--quick] [--build] [--baseline DIR]   (--quick: one run, no warm-up)
// --baseline DIR: every flow run also runs DIR's flow (a built checkout of the old code, e.g. after `npm ci`)
// on the same pipeline, interleaved, and the report compares the two (issue 8: figures within 5%).
// Writes bench/results/latest.md and latest.json. The warm-up run's output checks the answers.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAnswers } from './answers.mjs';
import { measure, hasGnuTime } from './measure.mjs';
import { checksMarkdown, compareBaseline, evaluate, markdown, summarize } from './report.mjs';
import { scenarios } from './scenarios.mjs';
import { machine, findPython } from './machine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (s) => process.stderr.write(s + '\n');

function parseArgs(argv) {
  const opts = { runs: 5, only: null, quick: false, build: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--only') opts.only = argv[++i].split(',');
    else if (a === '--quick') opts.quick = true;
    else if (a === '--build') opts.build = true;
    else if (a === '--baseline' && argv[i + 1]) opts.baseline = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${a} (usage: node bench/run.mjs [--runs N] [--only id,id] [--quick] [--build] [--baseline DIR])`);
  }
  if (opts.quick) opts.runs = 1;
  if (!(Number.isInteger(opts.runs) && opts.runs >= 1)) throw new Error('--runs must be a positive integer');
  return opts;
}

// The binary users run (package.json's bin), built the way npm builds it.
const binOf = (dir) => path.join(dir, JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).bin.flow);
const gitHead = (dir) => {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cli = binOf(root);
  if (opts.build || !existsSync(cli)) {
    log('building flow (npm run build)');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  }
  if (!hasGnuTime) log('note: /usr/bin/time is missing: peak RSS is sampled from /proc only');
  const py = findPython();
  if (py.note) log(`note: ${py.note}`);

  const ctx = { root, cli, threads: 2, python: py.exe, numpy: py.numpy, pythonMissing: py.note, data: {} };
  if (opts.baseline) {
    // Never built here: the baseline is whatever DIR's own `npm ci` (or `npm run build`) made.
    ctx.baseline = { dir: opts.baseline, cli: binOf(opts.baseline), commit: gitHead(opts.baseline) };
    if (!existsSync(ctx.baseline.cli)) throw new Error(`--baseline: ${ctx.baseline.cli} is missing (run \`npm ci\` in ${opts.baseline})`);
    log(`baseline: ${ctx.baseline.cli} (commit ${ctx.baseline.commit ?? 'unknown'})`);
  }
  let list = scenarios({ ...ctx, data: { ndjson: '', csv: '', x4: '' } });
  if (opts.only) {
    const unknown = opts.only.filter((id) => !list.some((s) => s.id === id));
    if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${list.map((s) => s.id).join(', ')}`);
  }
  const wanted = (s) => !opts.only || opts.only.includes(s.id);
  const needX4 = list.some((s) => wanted(s) && (s.id.startsWith('memory-x4') || s.id === 'queue-x4'));
  const { prepareData } = await import(path.join(root, 'scripts', 'prepare-data.mjs'));
  const { ndjson, csv, dataDir } = await prepareData({ scale: needX4 ? 4 : 1 });
  ctx.data = { ndjson, csv, x4: path.join(dataDir, 'flights-3m-x4.ndjson') };
  list = scenarios(ctx).filter(wanted);

  const started = Date.now();
  const result = { date: new Date().toISOString(), machine: await machine(py), options: opts, scenarios: [] };
  if (ctx.baseline) Object.assign(result, { baseline: { dir: ctx.baseline.dir, commit: ctx.baseline.commit }, newCommit: gitHead(root) });
  for (const sc of list) {
    if (sc.file) sc.bytes = statSync(sc.file).size;
    for (const t of sc.tools) if (t.file) t.bytes = statSync(t.file).size;
    result.scenarios.push(await runScenario(sc, opts));
  }
  result.seconds = (Date.now() - started) / 1000;

  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const md = markdown(result);
  writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(path.join(dir, 'latest.md'), `${md}\nAnswer checks (on the first round's output):\n\n${checksMarkdown(result)}\n`);
  process.stdout.write(md);
  log(`\n${result.seconds.toFixed(0)} s; wrote bench/results/latest.md and latest.json`);
  const bad = result.scenarios.some((s) => s.checks.some((c) => !c.ok) || s.tools.some((t) => t.error));
  process.exitCode = bad ? 1 : 0;
}

async function runScenario(sc, opts) {
  const tools = sc.tools.filter((t) => !t.missing);
  const raw = new Map(tools.map((t) => [t.id, { walls: [], rss: [], cpu: [] }]));
  const outputs = new Map();
  const runs = Math.min(opts.runs, sc.maxRuns ?? Infinity);
  log(`\n== ${sc.id}: ${sc.title}`);
  const load = [os.loadavg()[0]];
  // --quick skips the warm-up: its one run is also the one whose answers are checked.
  const first = opts.quick ? 1 : 0;
  for (let round = first; round <= runs; round++) {
    for (const t of tools) {
      const r = raw.get(t.id);
      if (r.error) continue;
      // A tool may need processes around it (the queue's standing workers): up before, down after, untimed.
      const around = await t.around?.().catch((error) => ({ error }));
      if (around?.error) {
        r.error = around.error.message;
        log(`  !! ${t.label} FAILED (${r.error})`);
        continue;
      }
      const m = await measure({ cmd: t.cmd, args: t.args, cwd: root, tree: t.tree });
      await around?.();
      if (!m.ok) {
        r.error = `exit ${m.code}: ${(m.stderr.trim().split('\n').slice(-3).join(' | ') || m.stdout.slice(0, 200)).slice(0, 400)}`;
        log(`  !! ${t.label} FAILED (${r.error})`);
        continue;
      }
      if (round === first) outputs.set(t.id, m.stdout);
      if (round > 0) (r.walls.push(m.wall), r.rss.push(m.rssMiB), r.cpu.push(m.cpu));
      log(`  ${round === 0 ? 'warm-up' : `run ${round}`}  ${t.label}: ${m.wall.toFixed(2)} s, cpu ${m.cpu.toFixed(2)} s, ${m.rssMiB.toFixed(0)} MiB`);
    }
    if (round === first) {
      sc.checks = checkAnswers(sc, outputs);
      for (const c of sc.checks) log(c.ok ? `  ok  ${c.tool}: ${c.note}` : `  !!!! ${c.tool} DISAGREES WITH FLOW: ${c.note}`);
    }
  }
  load.push(os.loadavg()[0]);
  const summaries = sc.tools.map((t) => summarize(sc, t, raw.get(t.id) ?? { walls: [], rss: [], cpu: [] }));
  const baseline = opts.baseline ? compareBaseline(sc, summaries) : undefined; // undefined: left out of the JSON
  return {
    id: sc.id,
    title: sc.title,
    bytes: sc.bytes ?? null,
    records: sc.records ?? null,
    tools: summaries,
    targets: evaluate(sc, summaries),
    checks: sc.checks,
    baseline,
    loadavg1: load,
  };
}

main().catch((e) => {
  log(e.stack ?? String(e));
  process.exitCode = 2;
});
