// The scenarios of issue 4: each names its tools (flow first), how to check their answers agree,
// and the targets, as ratios of medians measured in the same run.
import path from 'node:path';
import { redisUrl, startWorkers } from './queue-workers.mjs';

const peer = (ctx, file) => path.join(ctx.root, 'bench', 'peers', file);

function flow(ctx, id, label, pipeline, workers, sets = []) {
  const args = [ctx.cli, 'run', path.join(ctx.root, 'bench', 'pipelines', pipeline), '--quiet', '--workers', String(workers)];
  for (const s of sets) args.push('--set', s);
  return { id, label, flow: true, cmd: process.execPath, args };
}

const node = (id, label, args) => ({ id, label, cmd: process.execPath, args });

// flow run --queue, with `workers` standing `flow worker`s of one thread each (bench/queue-workers.mjs).
function queued(ctx, id, label, pipeline, workers) {
  const prefix = `flowbench-${process.pid}`;
  const tool = flow(ctx, id, label, pipeline, workers);
  // No --baseline twin: an older flow has no --queue.
  return { ...tool, flow: false, args: [...tool.args, '--queue', redisUrl, '--queue-prefix', prefix], around: () => startWorkers(ctx, prefix, workers) };
}
// Python Pool programs run several processes: their peak RSS is sampled over the process tree.
const python = (ctx, id, label, args, numpy = false) =>
  !ctx.python
    ? { id, label, missing: 'python3 not found' }
    : numpy && !ctx.numpy
      ? { id, label, missing: 'numpy is not installed' }
      : { id, label, cmd: ctx.python, args, tree: true };

// --baseline DIR: a flow run's twin runs DIR's (older) binary on the same pipeline and arguments.
const baselineOf = (ctx, t) => ({ ...t, id: `${t.id}-base`, label: `${t.label} [baseline]`, baseOf: t.id, args: [ctx.baseline.cli, ...t.args.slice(1)] });

export function scenarios(ctx) {
  const { ndjson, csv, x4 } = ctx.data;
  const parquet = path.join(ctx.root, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');
  const T = ctx.threads;
  const list = [
    {
      id: 'groupby-ndjson',
      title: 'group-by origin (count, mean delay), 277 MB NDJSON',
      file: ndjson,
      check: 'groupby',
      tools: [
        flow(ctx, 'flow', `flow (${T} workers)`, 'groupby-ndjson.yaml', T),
        flow(ctx, 'flow-w1', 'flow (1 worker)', 'groupby-ndjson.yaml', 1),
        node('duckdb', `DuckDB (${T} threads)`, [peer(ctx, 'duckdb-groupby.mjs'), ndjson, String(T)]),
        node('piscina', `hand piscina byte ranges (${T} threads)`, [peer(ctx, 'piscina-groupby.mjs'), ndjson, String(T)]),
        node('node-loop', 'hand Node loop (readline + JSON.parse)', [peer(ctx, 'node-loop-groupby.mjs'), ndjson]),
        // Controls for the scaling target: how much a second thread gives on this machine without flow.
        node('piscina-w1', 'hand piscina byte ranges (1 thread)', [peer(ctx, 'piscina-groupby.mjs'), ndjson, '1']),
        node('duckdb-w1', 'DuckDB (1 thread)', [peer(ctx, 'duckdb-groupby.mjs'), ndjson, '1']),
      ],
      targets: [
        { kind: 'ratio', a: 'flow', b: 'duckdb', max: 1.0, label: 'flow <= 1.0x DuckDB' },
        { kind: 'ratio', a: 'flow', b: 'piscina', max: 1.1, label: 'flow <= 1.1x piscina (overhead <= 10%)' },
        { kind: 'speedup', a: 'flow-w1', b: 'flow', min: 1.8, label: `${T} workers vs 1: speedup >= 1.8x` },
        { kind: 'speedup', a: 'piscina-w1', b: 'piscina', control: true, label: `control: hand piscina, ${T} threads vs 1 (no target)` },
        { kind: 'speedup', a: 'duckdb-w1', b: 'duckdb', control: true, label: `control: DuckDB, ${T} threads vs 1 (no target)` },
      ],
    },
    {
      id: 'groupby-checks',
      title: 'group-by origin with and without data checks (rows, not-null, where, unique on a composite key), 277 MB NDJSON',
      file: ndjson,
      check: 'groupby',
      tools: [
        flow(ctx, 'flow-checks', `flow with checks (${T} workers)`, 'groupby-ndjson-checks.yaml', T),
        flow(ctx, 'flow-checks-no-unique', `flow with the checks but unique (${T} workers)`, 'groupby-ndjson-checks-no-unique.yaml', T),
        flow(ctx, 'flow', `flow without checks (${T} workers)`, 'groupby-ndjson.yaml', T),
        // What the best engine pays for the same exact key check in its one pass (count distinct per group).
        node('duckdb-unique', `DuckDB with count(DISTINCT (date, destination)) per origin (${T} threads)`, [
          peer(ctx, 'duckdb-groupby.mjs'),
          ndjson,
          String(T),
          'date,destination',
        ]),
        node('duckdb', `DuckDB without (${T} threads)`, [peer(ctx, 'duckdb-groupby.mjs'), ndjson, String(T)]),
      ],
      targets: [
        { kind: 'ratio', a: 'flow-checks', b: 'flow', max: 1.15, label: 'checks cost <= 15% (flow with checks <= 1.15x without)' },
        { kind: 'ratio', a: 'flow-checks-no-unique', b: 'flow', max: 1.15, label: 'rows, not-null and where alone cost <= 15%' },
        { kind: 'ratio', a: 'duckdb-unique', b: 'duckdb', max: 1.15, control: true, label: "DuckDB's own cost of the unique key (with / without)" },
      ],
    },
    {
      id: 'groupby-csv',
      title: 'group-by origin (count, mean delay), 106 MB CSV',
      file: csv,
      check: 'groupby',
      tools: [
        flow(ctx, 'flow', `flow (${T} workers)`, 'groupby-csv.yaml', T),
        node('duckdb', `DuckDB (${T} threads)`, [peer(ctx, 'duckdb-groupby.mjs'), csv, String(T)]),
        node('piscina', `hand piscina byte ranges, split(',') (${T} threads)`, [peer(ctx, 'piscina-groupby.mjs'), csv, String(T)]),
        node('node-loop', "hand Node loop (readline + split(','))", [peer(ctx, 'node-loop-groupby.mjs'), csv]),
      ],
      targets: [{ kind: 'ratio', a: 'flow', b: 'duckdb', max: 0.7, label: 'flow <= 0.7x DuckDB' }],
    },
    {
      id: 'groupby-parquet',
      title: 'group-by origin (count, mean delay), the 13 MB flights Parquet (3M rows, zstd)',
      file: parquet,
      check: 'groupby',
      tools: [
        flow(ctx, 'flow', `flow (${T} workers)`, 'groupby-parquet.yaml', T),
        node('duckdb', `DuckDB read_parquet (${T} threads)`, [peer(ctx, 'duckdb-groupby.mjs'), parquet, String(T)]),
      ],
      targets: [{ kind: 'ratio', a: 'flow', b: 'duckdb', max: 1.5, label: 'flow <= 1.5x DuckDB' }],
    },
    {
      id: 'random-mean-100m',
      title: 'mean of 100,000,000 seeded random floats, 1M-record chunks',
      records: 100e6,
      check: 'random-mean',
      tools: [
        flow(ctx, 'flow', `flow (${T} workers)`, 'random-mean.yaml', T, ['count=100000000']),
        python(ctx, 'python-numpy', 'Python Pool.apply_async, numpy, 100 chunks', [peer(ctx, 'py_random_mean.py'), '100', 'numpy'], true),
      ],
      targets: [
        { kind: 'ratio', a: 'flow', b: 'python-numpy', max: 1 / 6, label: 'flow <= 1/6 of Python' },
        { kind: 'rss', a: 'flow', max: 120, label: 'flow peak RSS <= 120 MiB' },
      ],
    },
    {
      id: 'random-mean-10m',
      title: 'mean of 10,000,000 seeded random floats, 1M-record chunks',
      records: 10e6,
      check: 'random-mean',
      tools: [
        flow(ctx, 'flow', `flow (${T} workers)`, 'random-mean.yaml', T, ['count=10000000']),
        python(ctx, 'python-numpy', 'Python Pool.apply_async, numpy, 10 chunks', [peer(ctx, 'py_random_mean.py'), '10', 'numpy'], true),
        python(ctx, 'python-random', 'Python Pool.apply_async, stdlib random, 10 chunks', [peer(ctx, 'py_random_mean.py'), '10', 'random']),
      ],
      targets: [],
    },
    {
      id: 'squares-1m',
      title: 'squares of range(1,000,000), summed',
      records: 1e6,
      check: 'exact-int',
      tools: [
        flow(ctx, 'flow', `flow (${T} workers)`, 'squares-sum.yaml', T),
        python(ctx, 'python', 'Python sum(pool.map(square, range(1_000_000)))', [peer(ctx, 'py_squares.py'), '1000000', 'sum']),
      ],
      targets: [{ kind: 'ratio', a: 'flow', b: 'python', max: 0.5, label: 'flow <= 0.5x Python' }],
    },
    {
      id: 'trivial',
      title: 'trivial pipeline: squares of range(100), whole process',
      check: 'list',
      tools: [
        flow(ctx, 'flow', `flow (${T} workers)`, 'squares-100.yaml', T),
        python(ctx, 'python', 'Python pool.map(square, range(100))', [peer(ctx, 'py_squares.py'), '100', 'list']),
      ],
      targets: [{ kind: 'ratio', a: 'flow', b: 'python', max: 1.0, label: 'flow <= Python (startup)' }],
    },
    {
      id: 'memory-x4',
      title: 'peak RSS: NDJSON group-by over the 4x file vs the 1x file',
      file: x4,
      check: 'scaled-groupby',
      maxRuns: 3, // RSS varies little, and each 4x run takes ~4x as long
      tools: [
        flow(ctx, 'flow-x4', `flow (${T} workers), 4x NDJSON (1.1 GB)`, 'groupby-ndjson-x4.yaml', T),
        { ...flow(ctx, 'flow-x1', `flow (${T} workers), 1x NDJSON (277 MB)`, 'groupby-ndjson.yaml', T), file: ndjson },
      ],
      targets: [
        { kind: 'rssRatio', a: 'flow-x4', b: 'flow-x1', max: 1.15, label: 'RSS 4x / 1x <= 1.15' },
        { kind: 'rss', a: 'flow-x4', max: 300, label: 'RSS 4x <= 300 MiB' },
      ],
    },
    {
      // Issue 12: the same group-by on two `flow worker` processes of one thread each, through Redis.
      id: 'queue-x4',
      title: 'group-by origin over the 4x NDJSON (1.1 GB): two flow workers (1 thread each) through Redis vs flow run --workers 2',
      file: x4,
      check: 'groupby',
      maxRuns: 3,
      tools: [
        flow(ctx, 'flow-local', 'flow run --workers 2', 'groupby-ndjson-x4.yaml', 2),
        queued(ctx, 'flow-queue', 'flow run --queue, 2 flow workers x 1 thread', 'groupby-ndjson-x4.yaml', 2),
      ],
      targets: [{ kind: 'ratio', a: 'flow-queue', b: 'flow-local', max: 1.25, label: 'queue <= 1.25x the local pool' }],
    },
    {
      id: 'groupby-gzip',
      title: 'group-by origin (count, mean delay), the 277 MB NDJSON gzipped (.ndjson.gz, one stream)',
      file: `${ndjson}.gz`,
      check: 'groupby',
      tools: [
        flow(ctx, 'flow', `flow (${T} workers)`, 'groupby-ndjson-gz.yaml', T),
        node('duckdb', `DuckDB read_json on the .gz (${T} threads)`, [peer(ctx, 'duckdb-groupby.mjs'), `${ndjson}.gz`, String(T)]),
      ],
      targets: [{ kind: 'ratio', a: 'flow', b: 'duckdb', max: 1.0, label: 'flow <= 1.0x DuckDB' }],
    },
    {
      id: 'memory-x4-gzip',
      title: 'peak RSS: gzipped NDJSON group-by over the 4x file (4 gzip members) vs the 1x file',
      file: `${x4}.gz`,
      check: 'scaled-groupby',
      maxRuns: 3,
      tools: [
        flow(ctx, 'flow-x4', `flow (${T} workers), 4x NDJSON gzipped`, 'groupby-ndjson-x4-gz.yaml', T),
        { ...flow(ctx, 'flow-x1', `flow (${T} workers), 1x NDJSON gzipped`, 'groupby-ndjson-gz.yaml', T), file: `${ndjson}.gz` },
      ],
      targets: [
        { kind: 'rssRatio', a: 'flow-x4', b: 'flow-x1', max: 1.15, label: 'RSS 4x / 1x <= 1.15' },
        { kind: 'rss', a: 'flow-x4', max: 300, label: 'RSS 4x <= 300 MiB' },
      ],
    },
  ];
  // Each twin right after its flow run, so it is interleaved and checked like every other tool.
  if (ctx.baseline) for (const sc of list) sc.tools = sc.tools.flatMap((t) => (t.flow ? [t, baselineOf(ctx, t)] : [t]));
  return list;
}
