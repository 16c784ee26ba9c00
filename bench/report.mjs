// Turns raw timings into medians, ratios and target verdicts, as a Markdown table and a JSON object.
import { rssMethod } from './measure.mjs';

export const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const fmt = (x, digits = 2, unit = '') => (Number.isFinite(x) ? x.toFixed(digits) + unit : '—');

/** Medians and throughput of one tool's runs. */
export function summarize(scenario, tool, raw) {
  const wall = median(raw.walls);
  const rss = median(raw.rss);
  const cpu = median(raw.cpu ?? []);
  const bytes = tool.file ? tool.bytes : scenario.bytes;
  const throughput = bytes ? { value: bytes / 1e6 / wall, unit: 'MB/s' } : scenario.records ? { value: scenario.records / 1e6 / wall, unit: 'Mrec/s' } : null;
  return {
    id: tool.id,
    label: tool.label,
    runs: raw.walls.length,
    wall,
    best: raw.walls.length ? Math.min(...raw.walls) : NaN,
    cpu,
    rss,
    rssMax: raw.rss.length ? Math.max(...raw.rss) : NaN,
    throughput,
    walls: raw.walls,
    cpuRuns: raw.cpu ?? [],
    rssRuns: raw.rss,
    error: raw.error ?? null,
    missing: tool.missing ?? null,
  };
}

/** Each target with its measured value and verdict, attached to the row it is shown on. */
export function evaluate(scenario, summaries) {
  const get = (id) => summaries.find((s) => s.id === id);
  return scenario.targets.map((t) => {
    const a = get(t.a);
    const b = t.b ? get(t.b) : null;
    let value, met, shown;
    if (t.kind === 'ratio') ((value = a.wall / b.wall), (met = value <= t.max), (shown = fmt(value, 2, 'x')));
    else if (t.kind === 'speedup') ((value = a.wall / b.wall), (met = value >= t.min), (shown = fmt(value, 2, 'x')));
    else if (t.kind === 'rss') ((value = a.rss), (met = value <= t.max), (shown = fmt(value, 0, ' MiB')));
    else ((value = a.rss / b.rss), (met = value <= t.max), (shown = `${fmt(value)}`));
    const row = t.kind === 'ratio' ? t.b : t.a;
    const measured = Number.isFinite(value);
    const status = !measured ? 'not measured' : t.control ? 'control' : met ? 'met' : 'missed';
    return { ...t, value, shown, row, status };
  });
}

/** --baseline: each flow tool's medians against its twin's on the old code (issue 8: each within 5%). */
export function compareBaseline(scenario, summaries) {
  const get = (id) => summaries.find((s) => s.id === id);
  return scenario.tools
    .filter((t) => t.baseOf)
    .map((t) => {
      const [n, b] = [get(t.baseOf), get(t.id)];
      const [wallRatio, rssRatio] = [n.wall / b.wall, n.rss / b.rss];
      return {
        id: n.id,
        label: n.label,
        wall: n.wall,
        baseWall: b.wall,
        wallRatio,
        wallWithin: within(wallRatio),
        rss: n.rss,
        baseRss: b.rss,
        rssRatio,
        rssWithin: within(rssRatio),
      };
    });
}

const TOLERANCE = 0.05;
const within = (ratio) => Math.abs(ratio - 1) <= TOLERANCE;
const verdict = (ratio, more, less) =>
  !Number.isFinite(ratio) ? 'not measured' : within(ratio) ? 'within 5%' : `${ratio > 1 ? more : less} by ${fmt(Math.abs(ratio - 1) * 100, 1)}%`;

function baselineMarkdown(result) {
  const { dir, commit } = result.baseline;
  const rows = result.scenarios.flatMap((sc) => (sc.baseline ?? []).map((c) => ({ sc, c })));
  const count = (key) => rows.filter(({ c }) => c[key]).length;
  const lines = ['', '## Baseline comparison', ''];
  lines.push(
    `New: this working tree (HEAD ${result.newCommit ?? '?'}); baseline: \`${dir}\` at ${commit ?? '?'}, run on the same pipelines and ` +
      `interleaved with every tool. Ratios are new / baseline of the medians; "within 5%" means |ratio - 1| <= 0.05. ` +
      `Within 5%: ${count('wallWithin')} of ${rows.length} wall times, ${count('rssWithin')} of ${rows.length} peak RSS.`,
    '',
    '| scenario | flow tool | new wall (s) | baseline wall (s) | new / baseline | wall | new RSS (MiB) | baseline RSS (MiB) | new / baseline | RSS |',
    '|---|---|--:|--:|--:|---|--:|--:|--:|---|',
  );
  for (const { sc, c } of rows) {
    lines.push(
      `| ${sc.id} | ${c.label} | ${fmt(c.wall, 3)} | ${fmt(c.baseWall, 3)} | ${fmt(c.wallRatio, 3, 'x')} | ${verdict(c.wallRatio, 'slower', 'faster')} | ` +
        `${fmt(c.rss, 1)} | ${fmt(c.baseRss, 1)} | ${fmt(c.rssRatio, 3, 'x')} | ${verdict(c.rssRatio, 'larger', 'smaller')} |`,
    );
  }
  return lines;
}

export function markdown(result) {
  const lines = [];
  lines.push('| scenario | tool | median wall (s) | throughput | CPU (s) | peak RSS (MiB) | flow / this | target | |');
  lines.push('|---|---|--:|--:|--:|--:|--:|---|---|');
  for (const sc of result.scenarios) {
    const ref = sc.tools[0];
    sc.tools.forEach((t, i) => {
      const targets = sc.targets.filter((x) => x.row === t.id);
      const ratio = i === 0 ? '—' : fmt(ref.wall / t.wall, 2, 'x');
      const tp = t.throughput && Number.isFinite(t.wall) ? `${fmt(t.throughput.value, t.throughput.value < 10 ? 2 : 0)} ${t.throughput.unit}` : '—';
      const label = t.missing ? `${t.label} (skipped: ${t.missing})` : t.error ? `${t.label} (FAILED)` : t.label;
      lines.push(
        `| ${i === 0 ? sc.title : ''} | ${label} | ${fmt(t.wall)} | ${tp} | ${fmt(t.cpu)} | ${fmt(t.rss, 0)} | ${ratio} | ` +
          `${targets.map((x) => `${x.label}: ${x.shown}`).join('; ')} | ${targets.map((x) => x.status).join(', ')} |`,
      );
    });
  }
  lines.push('', '| target | measured | |', '|---|--:|---|');
  for (const sc of result.scenarios) for (const t of sc.targets) lines.push(`| ${sc.id}: ${t.label} | ${t.shown} | ${t.status} |`);
  const problems = result.scenarios.flatMap((sc) => [
    ...sc.checks.filter((c) => !c.ok).map((c) => `${sc.id}: ${c.tool} DISAGREES with flow: ${c.note}`),
    ...sc.tools.filter((t) => t.error).map((t) => `${sc.id}: ${t.label} failed: ${t.error}`),
  ]);
  if (problems.length) lines.push('', '**Problems:**', '', ...problems.map((p) => `- ${p}`));
  lines.push(
    '',
    `Medians of ${result.options.runs} runs${result.options.quick ? ' (quick: no warm-up)' : ' after one warm-up'}, tools interleaved (A B A B ...); the memory scenario ` +
      `uses at most 3 runs. "flow / this" is flow's median wall over this tool's (for flow's own rows, against its first row).`,
    `CPU: median user + system seconds of the whole process (all threads, and the Pool workers it waited for). ` +
      `Peak RSS: ${rssMethod.single}; for Python Pool programs, ${rssMethod.tree}.`,
  );
  if (result.baseline) lines.push(...baselineMarkdown(result));
  return lines.join('\n') + '\n';
}

export function checksMarkdown(result) {
  return result.scenarios.flatMap((sc) => sc.checks.map((c) => `- ${sc.id}: ${c.tool}: ${c.ok ? 'agrees' : '**DISAGREES**'} (${c.note})`)).join('\n');
}
