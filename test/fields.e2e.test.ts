// Field names through the real CLI (issue 10E): a misspelt field over a CSV with a header is a
// validation error; over NDJSON it is a warning at the end of the run (the same for 1 and 2
// workers and many chunks), none when some record has the field; --strict makes it exit 3 and
// writes nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runFlow } from './helpers/cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const seattle = path.join(root, 'node_modules/vega-datasets/data/seattle-weather.csv');

/** 3000 flights; only record 2600 has a `gate`. About 100 chunks of 1 KiB. */
const flights = Array.from({ length: 3000 }, (_, i) =>
  JSON.stringify({ id: i, origin: ['SEA', 'PDX', 'SFO'][i % 3], delay: i % 50, ...(i === 2600 ? { gate: 'A1' } : {}) }),
)
  .map((line) => `${line}\n`)
  .join('');

function project(pipeline: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-fields-e2e-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'flights.ndjson'), flights);
  writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline);
  return dir;
}

const ndjson = (reduce: string) =>
  `source: { step: file, with: { path: flights.ndjson } }\nchunking: { bytes: 1KiB }\nmap:\n  - step: filter\n    with: { where: "r.dealy != 7" }\nreduce: ${reduce}\noutput: { step: file, with: { path: out.json } }\n`;

const warningDealy = [
  'pipeline.yaml:5:23 warning: map[0] (filter): no record has a field "dealy" (map[0].with.where)',
  '    5 |     with: { where: "r.dealy != 7" }',
  '      |                       ^^^^^',
  '  hint: did you mean `delay`? (a field the records have)',
].join('\n');

describe('field names over a CSV with a header', () => {
  it('flow validate and flow run refuse the Seattle typos at their place, exit 2', async () => {
    const dir = project(
      `source: { step: file, with: { path: ${JSON.stringify(seattle)} } }\nmap:\n  - step: filter\n    with: { where: "r.temp_maxx > 30" }\nreduce:\n  step: group\n  with: { by: weathr, aggregate: { m: { mean: temp_mx } } }\n`,
    );
    for (const command of ['validate', 'run']) {
      const { code, stderr } = await runFlow([command, 'pipeline.yaml', '-q'], { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toContain('pipeline.yaml:4:23 error: map[0].with.where: no field "temp_maxx" in the records of the source');
      expect(stderr).toContain('pipeline.yaml:7:15 error: reduce.with.by: no field "weathr" in the records of the source');
      expect(stderr).toContain('pipeline.yaml:7:47 error: reduce.with.aggregate.m.mean: no field "temp_mx" in the records of the source');
      expect(stderr.match(/hint: did you mean `(\w+)`\?/g)).toEqual([
        'hint: did you mean `temp_max`?',
        'hint: did you mean `weather`?',
        'hint: did you mean `temp_max`?',
      ]);
    }
  });
});

describe('field names over NDJSON', () => {
  it('warns at the end of the run, the same on 1 and 2 workers over many chunks, and writes the output', async () => {
    const dir = project(ndjson('count'));
    const stderrs: string[] = [];
    for (const workers of ['1', '2']) {
      const { code, stderr } = await runFlow(['run', 'pipeline.yaml', '-q', '--workers', workers], { cwd: dir });
      expect(code).toBe(0);
      expect(readFileSync(path.join(dir, 'out.json'), 'utf8').trim()).toBe('3000');
      stderrs.push(stderr);
    }
    expect(stderrs[0]).toBe(`${warningDealy}\n`);
    expect(stderrs[1]).toBe(stderrs[0]);
  });

  it('says nothing of a field that only one record far into the file has', async () => {
    const dir = project(ndjson('{ step: group, with: { by: gate } }').replace('r.dealy != 7', 'r.delay != 7'));
    for (const workers of ['1', '2']) {
      const { code, stderr } = await runFlow(['run', 'pipeline.yaml', '-q', '--workers', workers], { cwd: dir });
      expect(code).toBe(0);
      expect(stderr).toBe('');
      const groups = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')) as Array<{ gate: unknown; count: number }>;
      expect(groups).toEqual([
        { gate: 'A1', count: 1 },
        { gate: null, count: 2939 },
      ]);
    }
  });

  it('with --strict, exits 3 after the warnings and writes nothing, an existing output kept', async () => {
    const dir = project(ndjson('count'));
    const { code, stderr } = await runFlow(['run', 'pipeline.yaml', '-q', '--strict', '--workers', '2'], { cwd: dir });
    expect(code).toBe(3);
    expect(stderr).toContain(warningDealy);
    expect(stderr).toContain('error: the run had 1 warning and --strict was given: no output was written');
    expect(existsSync(path.join(dir, 'out.json'))).toBe(false);
    writeFileSync(path.join(dir, 'out.json'), 'old\n');
    expect((await runFlow(['run', 'pipeline.yaml', '-q', '--strict'], { cwd: dir })).code).toBe(3);
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('old\n');
  });

  it('with --strict, prints no result on stdout either', async () => {
    const dir = project(ndjson('count').replace('output: { step: file, with: { path: out.json } }\n', ''));
    const strict = await runFlow(['run', 'pipeline.yaml', '-q', '--strict'], { cwd: dir });
    expect(strict.code).toBe(3);
    expect(strict.stdout).toBe('');
    const plain = await runFlow(['run', 'pipeline.yaml', '-q'], { cwd: dir });
    expect([plain.code, plain.stdout.trim()]).toEqual([0, '3000']);
  });
});
