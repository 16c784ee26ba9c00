// on-error through the real CLI: poison records (lines that do not parse, rows of the wrong width,
// records a map step throws on) with each action, the error budget as a count and as a share, the
// dead-letter file's exact lines, the same results for 1 and 2 workers and a small chunking.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlow } from './helpers/cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * 3000 lines: record i is `{"id":i,"v":i}`; every 700th line (from 350) does not parse, every
 * 450th record (from 225) has a text `v`, on which the pipeline's transform throws; one blank line.
 */
function ndjson(): { text: string; bad: number[]; thrown: number[]; good: number[] } {
  const lines: string[] = [];
  const bad: number[] = [];
  const thrown: number[] = [];
  const good: number[] = [];
  for (let i = 0; i < 3000; i++) {
    if (i % 700 === 350) {
      lines.push(`{"id":${i},"v":`);
      bad.push(i);
    } else if (i % 450 === 225) {
      lines.push(`{"id":${i},"v":"x${i}"}`);
      thrown.push(i);
    } else {
      lines.push(`{"id":${i},"v":${i}}`);
      good.push(i);
    }
    if (i === 1000) lines.push('');
  }
  return { text: `${lines.join('\n')}\n`, bad, thrown, good };
}

const data = ndjson();
/** The file line of record i (the blank line after record 1000 shifts the rest by one). */
const lineOf = (i: number) => i + 1 + (i > 1000 ? 1 : 0);
const rejectedCount = data.bad.length + data.thrown.length;
const read = 3000;

interface Setup {
  action?: 'fail' | 'skip' | 'dead-letter';
  max?: number | string;
  chunking?: string;
  reduce?: string;
}

function project(setup: Setup): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-on-error-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'data/x.ndjson'), data.text);
  const onError =
    setup.action === undefined
      ? ''
      : `on-error:\n  action: ${setup.action}\n${setup.action === 'dead-letter' ? '  dead-letter: out/rejects.ndjson\n' : ''}${setup.max !== undefined ? `  max: ${JSON.stringify(setup.max)}\n` : ''}`;
  writeFileSync(
    path.join(dir, 'pipeline.yaml'),
    [
      'source: { step: file, with: { path: data/x.ndjson } }',
      ...(setup.chunking ? [`chunking: ${setup.chunking}`] : []),
      'map:',
      '  - step: transform',
      '    with: { expr: "({ id: r.id, half: r.v.toFixed(0) / 2 })" }',
      ...(setup.reduce
        ? [`reduce: ${setup.reduce}`, 'output: { step: file, with: { path: out/result.json } }']
        : ['output: { step: file, with: { path: out/result.ndjson } }']),
      onError,
    ].join('\n'),
  );
  return dir;
}

async function run(dir: string, ...args: string[]) {
  const result = await runFlow(['run', 'pipeline.yaml', '--report', 'report.json', ...args], { cwd: dir });
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
  return { ...result, report };
}

const outputLines = (good: number[]) => good.map((i) => `${JSON.stringify({ id: i, half: i / 2 })}\n`).join('');

/** The dead-letter file expected: every rejected record in source order. */
function deadLetter(): string {
  const all = [...data.bad.map((i) => ({ i, bad: true })), ...data.thrown.map((i) => ({ i, bad: false }))].sort((a, b) => a.i - b.i);
  return all
    .map(({ i, bad }) =>
      JSON.stringify(
        bad
          ? {
              source: { file: 'data/x.ndjson', line: lineOf(i) },
              step: 'source',
              code: 'RECORD_PARSE',
              message: 'invalid JSON: Unexpected end of JSON input',
              raw: `{"id":${i},"v":`,
            }
          : {
              source: { file: 'data/x.ndjson', line: lineOf(i) },
              step: 'map[0]',
              code: 'STEP_FAILED',
              message: 'r.v.toFixed is not a function',
              record: { id: i, v: `x${i}` },
            },
      ),
    )
    .map((line) => `${line}\n`)
    .join('');
}

// One small chunk runs in-process; chunks of 8 KiB run on worker threads.
/** A source plugin that bundles no flow: the numbers 0 to 9 in two chunks, of which 7 cannot be read. */
const POISON = `// A source plugin that bundles no flow: its bad record is recognised by the registered symbol.
const brand = Symbol.for('flow-pipelines.bad-record');
class Bad {
  constructor(error, raw) {
    this.error = error;
    this.raw = raw;
  }
  get [brand]() {
    return true;
  }
}
export default {
  kind: 'source',
  name: 'poison',
  summary: 'The numbers 0 to 9 in two chunks; 7 cannot be read.',
  options: { type: 'object', properties: {}, additionalProperties: false },
  split: (_options, ctx) => ({ chunks: [0, 1].map((c) => ({ data: { c, rejects: ctx.hints.rejects === true } })), total: { chunks: 2 } }),
  *read(chunk) {
    for (let i = 0; i < 5; i++) {
      const n = chunk.data.c * 5 + i;
      if (n !== 7) yield n;
      else if (chunk.data.rejects) yield new Bad({ code: 'RECORD_PARSE', message: 'record 7 is unreadable' }, 'seven');
      else throw new Error('record 7 is unreadable');
    }
  },
};
`;

const layouts: [string, Setup, string[], string][] = [
  ['1 worker', {}, ['--workers', '1'], 'in-process'],
  ['2 workers', {}, ['--workers', '2'], 'in-process'],
  ['1 worker, chunks of 8 KiB', { chunking: '{ bytes: 8192 }' }, ['--workers', '1'], 'threads'],
  ['2 workers, chunks of 8 KiB', { chunking: '{ bytes: 8192 }' }, ['--workers', '2'], 'threads'],
];

describe('on-error', () => {
  it('fails on the first bad record by default, writing nothing', async () => {
    const dir = project({});
    const { code, report, stderr } = await run(dir, '--quiet');
    expect(code).toBe(1);
    // Record 225 is the first poison record: the transform throws on it.
    expect(report.errors).toEqual([
      expect.objectContaining({ code: 'STEP_FAILED', step: 'map[0] (transform)', record: { file: 'data/x.ndjson', line: lineOf(data.thrown[0]!) } }),
    ]);
    expect(stderr).toMatch(/^error: /m);
    expect(existsSync(path.join(dir, 'out/result.ndjson'))).toBe(false);
  });

  it.each(layouts)('skip leaves the rejected records out and counts them (%s)', async (_name, setup, args, where) => {
    const dir = project({ action: 'skip', ...setup });
    const { code, report, stderr } = await run(dir, ...args);
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/result.ndjson'), 'utf8')).toBe(outputLines(data.good));
    expect(report.summary).toMatchObject({ recordsIn: read, recordsOut: data.good.length, rejected: rejectedCount, execution: { where } });
    // The progress line says it too (plain progress: CI is set by runFlow).
    expect(stderr).toContain(`${rejectedCount} rejected`);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['result.ndjson']);
  });

  it.each(layouts)('dead-letter writes every rejected record, in source order, with its line and why (%s)', async (_name, setup, args) => {
    const dir = project({ action: 'dead-letter', ...setup });
    const { code, report } = await run(dir, '--quiet', ...args);
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/result.ndjson'), 'utf8')).toBe(outputLines(data.good));
    expect(readFileSync(path.join(dir, 'out/rejects.ndjson'), 'utf8')).toBe(deadLetter());
    expect(report.summary.rejected).toBe(rejectedCount);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['rejects.ndjson', 'result.ndjson']);
  });

  it('a reducer sees only the records that went through (projected reads, small chunks)', async () => {
    const dir = project({ action: 'skip', reduce: '{ step: count }', chunking: '{ bytes: 8192 }' });
    const { code, report } = await run(dir, '--quiet', '--workers', '2');
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'out/result.json'), 'utf8'))).toBe(data.good.length);
    expect(report.summary.rejected).toBe(rejectedCount);
  });

  it('dead-letter keeps whole records in a reduce pipeline (no projection)', async () => {
    const dir = project({ action: 'dead-letter', reduce: '{ step: count }' });
    writeFileSync(path.join(dir, 'data/x.ndjson'), '{"id":1,"v":2,"w":"unread"}\n{"id":2,"v":"x","w":"unread"}\n');
    const { code, report } = await run(dir, '--quiet');
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'out/rejects.ndjson'), 'utf8'))).toMatchObject({ record: { id: 2, v: 'x', w: 'unread' } });
    expect(report.summary.execution.reasons).toContain('whole records: on-error writes rejected records whole to its dead-letter file');
  });

  it('a dead-letter file that cannot be written fails the run, and the output is not written either', async () => {
    const dir = project({ action: 'dead-letter' });
    mkdirSync(path.join(dir, 'out/rejects.ndjson'), { recursive: true });
    const { code, report } = await run(dir, '--quiet');
    expect(code).toBe(1);
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'OUTPUT_FAILED',
        path: 'on-error.dead-letter',
        message: expect.stringMatching(/^cannot write the dead-letter file out\/rejects.ndjson: /),
      }),
    ]);
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['rejects.ndjson']);
  });

  it('a clean run with dead-letter writes an empty dead-letter file', async () => {
    const dir = project({ action: 'dead-letter' });
    writeFileSync(path.join(dir, 'data/x.ndjson'), '{"id":1,"v":2}\n');
    const { code } = await run(dir, '--quiet');
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/rejects.ndjson'), 'utf8')).toBe('');
  });

  it('rejects CSV rows of the wrong width and unclosed quotes, projected or not', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-on-error-csv-'));
    dirs.push(dir);
    const rows = ['k,n,note'];
    for (let i = 0; i < 400; i++) rows.push(i === 100 ? `a,${i}` : i === 250 ? `b,${i},"open` : `${'ab'[i % 2]},${i},x`);
    writeFileSync(path.join(dir, 'x.csv'), `${rows.join('\r\n')}\r\n`);
    const pipeline = (rest: string) =>
      `source: { step: file, with: { path: x.csv } }\nchunking: { bytes: 1024 }\n${rest}\non-error: { action: dead-letter, dead-letter: out/rejects.ndjson }\n`;
    const expected = [
      { source: { file: 'x.csv', line: 102 }, step: 'source', code: 'RECORD_PARSE', message: 'the row has 2 fields but the header has 3', raw: 'a,100' },
      {
        source: { file: 'x.csv', line: 252 },
        step: 'source',
        code: 'RECORD_PARSE',
        message: 'a quoted field is not closed on its line (a newline inside a quoted field?)',
        raw: 'b,250,"open',
      },
    ]
      .map((line) => `${JSON.stringify(line)}\n`)
      .join('');
    // Projected: the group step reads k and n only.
    writeFileSync(
      path.join(dir, 'pipeline.yaml'),
      pipeline('reduce: { step: group, with: { by: k, aggregate: { total: { sum: n } } } }\noutput: { step: file, with: { path: out/sums.json } }'),
    );
    let run = await runFlow(['run', 'pipeline.yaml', '--quiet', '--workers', '2'], { cwd: dir });
    expect(run.code).toBe(0);
    const sum = (odd: number) =>
      Array.from({ length: 400 }, (_, i) => i)
        .filter((i) => i % 2 === odd && i !== 100 && i !== 250)
        .reduce((a, b) => a + b, 0);
    expect(readFileSync(path.join(dir, 'out/sums.json'), 'utf8')).toContain(String(sum(0)));
    expect(readFileSync(path.join(dir, 'out/sums.json'), 'utf8')).toContain(String(sum(1)));
    expect(readFileSync(path.join(dir, 'out/rejects.ndjson'), 'utf8')).toBe(expected);
    // Whole rows, map-only.
    writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline('output: { step: file, with: { path: out/rows.ndjson } }'));
    run = await runFlow(['run', 'pipeline.yaml', '--quiet', '--workers', '2'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/rows.ndjson'), 'utf8').split('\n').length - 1).toBe(398);
    expect(readFileSync(path.join(dir, 'out/rejects.ndjson'), 'utf8')).toBe(expected);
  });

  it('a source plugin takes part through the rejects hint, its BadRecord known by the registered symbol', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-on-error-plugin-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'poison.mjs'), POISON);
    const pipeline = (onError: string) =>
      `source: ./poison.mjs\nmap:\n  - step: transform\n    with: { expr: "r === 2 ? r.x.y : r * 10" }\noutput: { step: file, with: { path: out/result.ndjson } }\n${onError}`;
    writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline('on-error: { action: dead-letter, dead-letter: out/rejects.ndjson }\n'));
    let result = await runFlow(['run', 'pipeline.yaml', '--quiet'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/result.ndjson'), 'utf8')).toBe('0\n10\n30\n40\n50\n60\n80\n90\n');
    // It cannot say where its records are: the chunk and the place in it stand in.
    expect(readFileSync(path.join(dir, 'out/rejects.ndjson'), 'utf8')).toBe(
      '{"source":{"chunk":0,"index":2},"step":"map[0]","code":"STEP_FAILED","message":"Cannot read properties of undefined (reading \'y\')","record":2}\n' +
        '{"source":{"chunk":1,"index":2},"step":"source","code":"RECORD_PARSE","message":"record 7 is unreadable","raw":"seven"}\n',
    );
    // Without on-error the hint is not given: the first bad record (a throw of the map step) fails the run.
    writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline(''));
    rmSync(path.join(dir, 'out'), { recursive: true });
    result = await runFlow(['run', 'pipeline.yaml', '--quiet'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Cannot read properties of undefined (reading 'y')");
  });

  describe('standard output', () => {
    // Map-only records to stdout, in chunks of about 10 records, the first thrown at record 225.
    const stdoutProject = (onError: string) => {
      const dir = project({});
      const yaml = readFileSync(path.join(dir, 'pipeline.yaml'), 'utf8').replace(/^output: .*$/m, '');
      writeFileSync(path.join(dir, 'pipeline.yaml'), `${yaml}chunking: { records: 10 }\n${onError}`);
      return dir;
    };

    it('with an error budget, records wait for the verdict: nothing on stdout when it is spent', async () => {
      const dir = stdoutProject('on-error: { action: skip, max: 1 }\n');
      const { code, stdout, stderr } = await runFlow(['run', 'pipeline.yaml', '-q', '--workers', '2'], { cwd: dir });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('more than on-error.max allows (1)');
      expect(stderr).not.toContain('note: standard output');
    });

    it('without one, records stream: a failure says how many stdout already has', async () => {
      const dir = stdoutProject('');
      const { code, stdout, stderr } = await runFlow(['run', 'pipeline.yaml', '-q', '--workers', '2'], { cwd: dir });
      expect(code).toBe(1);
      const streamed = stdout.split('\n').filter((line) => line.includes('"id"')).length;
      expect(streamed).toBeGreaterThan(0);
      expect(streamed).toBeLessThan(225);
      expect(stderr).toContain(`note: standard output already has ${streamed} records of this failed run, an incomplete json output`);
    });
  });

  describe('the error budget', () => {
    // 11 records are rejected out of 3000 read.
    const budgets: [string, number | string, boolean][] = [
      ['a count not passed', 11, true],
      ['a count passed', 10, false],
      ['a share not passed', '0.4%', true],
      ['a share passed', '0.3%', false],
    ];

    it.each(budgets)('%s', async (_name, max, ok) => {
      const dir = project({ action: 'dead-letter', max, chunking: '{ bytes: 8192 }' });
      const { code, report, stderr } = await run(dir, '--quiet', '--workers', '2');
      if (ok) {
        expect(code).toBe(0);
        expect(readFileSync(path.join(dir, 'out/rejects.ndjson'), 'utf8')).toBe(deadLetter());
        return;
      }
      expect(code).toBe(1);
      const first = data.thrown[0]!; // 225, before the first line that does not parse (350)
      // A count fails as soon as it is passed; a share (the total is not known up front) at the end.
      const allowed = typeof max === 'number' ? '10' : '0.3% of 3000 records read = 9';
      expect(report.errors).toEqual([
        {
          code: 'ERROR_BUDGET',
          message: `11 records rejected, more than on-error.max allows (${allowed}); the first: data/x.ndjson:${lineOf(first)} (map[0]): r.v.toFixed is not a function`,
          record: { file: 'data/x.ndjson', line: lineOf(first) },
          hint: expect.stringContaining('nothing was written'),
        },
      ]);
      expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      // The failed run's report counts what it got through, the chunk that spent the budget included.
      expect(report.summary.rejected).toBe(11);
      expect(report.summary.recordsIn).toBeGreaterThanOrEqual(lineOf(first));
      expect(report.steps[1]).toMatchObject({ step: 'map[0]', rejected: expect.any(Number) });
      // No output, no dead-letter file, no temp file left.
      expect(existsSync(path.join(dir, 'out')) ? readdirSync(path.join(dir, 'out')) : []).toEqual([]);
    });
  });
});
