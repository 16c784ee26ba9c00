// HTTP(S) inputs through the queue (issue 12), the real CLI with two `flow worker`s against a node:http
// server this test starts: each worker fetches its own byte ranges, with the same bytes (output,
// dead-letter lines, an error's line) as the local run; a server without ranges and a gzip URL refused
// at planning; the file changed on the server after planning (size, or ETag alone) and a 404 on a
// worker's range fail the run naming the URL.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../helpers/cli.js';
import { newPrefix, planned, queueTests, redisUrl, startFlow, startWorker } from '../../../helpers/redis.js';
import { tempDirs } from '../../../helpers/temp.js';

const suite = queueTests();
const projectDir = tempDirs('flow-http-queue-');
const files = new Map<string, Buffer>();
/** Range headers of the requests the server answered, by file. */
const seen: Array<{ name: string; range?: string }> = [];
let server: http.Server;
let base = '';
let dir = '';

const etag = (body: Buffer) => `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;

beforeAll(async () => {
  dir = projectDir();
  // 2 MB of the real flights: ~30 chunks of 64 KiB, each boundary inside a line.
  const flights = readFileSync(path.join(root, '.cache/data/flights-3m.ndjson')).subarray(0, 2_000_000);
  const ndjson = flights.subarray(0, flights.lastIndexOf(10) + 1);
  const lines = ndjson.toString('utf8').trim().split('\n');
  const csv = `date,delay,distance,origin,destination\n${lines.map((l) => Object.values(JSON.parse(l) as Record<string, unknown>).join(',')).join('\n')}\n`;
  const bad = [...lines.slice(0, 5000), '{oops', ...lines.slice(5000, 12000), '{"delay": 1,', ...lines.slice(12000)].join('\n') + '\n';
  for (const [name, body] of [
    ['flights.ndjson', ndjson],
    ['flights.csv', Buffer.from(csv)],
    ['bad.ndjson', Buffer.from(bad)],
    ['flights.ndjson.gz', gzipSync(ndjson)],
    ['changing.ndjson', ndjson],
  ] as const) {
    files.set(name, body);
    writeFileSync(path.join(dir, name), body);
  }
  server = http.createServer((req, res) => {
    const [, kind, name = ''] = (req.url ?? '').split('/');
    const body = files.get(name);
    if (!body) return void res.writeHead(404).end('not found');
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    seen.push({ name, ...(req.headers.range ? { range: req.headers.range } : {}) });
    if (kind === 'plain' || !range) return void res.writeHead(200, { 'content-length': body.length }).end(body);
    const start = Number(range[1]);
    // `gone`: the file is there for planning (its head), not for the workers' ranges.
    if (kind === 'gone' && start > 0) return void res.writeHead(404).end('not found');
    if (start >= body.length) return void res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    const end = Math.min(body.length - 1, Number(range[2]));
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}`, 'accept-ranges': 'bytes', etag: etag(body) });
    res.end(body.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function pipeline(name: string, input: string, lines: string[] = []): string {
  const yaml = [`source:`, `  step: file`, `  with: { path: ${JSON.stringify(input)} }`, 'chunking: { bytes: 65536 }', ...lines];
  writeFileSync(path.join(dir, `${name}.yaml`), `${yaml.join('\n')}\n`);
  return `${name}.yaml`;
}

async function queued(file: string, out: string[] = []) {
  const prefix = newPrefix();
  await Promise.all([startWorker(prefix, { cwd: dir }), startWorker(prefix, { cwd: dir })]);
  return runFlow(['run', file, '-q', ...out, '--queue', redisUrl, '--queue-prefix', prefix], { cwd: dir });
}

const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('http(s) inputs with --queue', () => {
  const outputs = ['output: { step: file, with: { path: out/copy.ndjson } }'];
  const grouped = ['reduce: { step: group, with: { by: origin, aggregate: { n: count, delay: { mean: delay } } } }', ...outputs];

  it.each([
    ['flights.ndjson', outputs],
    ['flights.csv', outputs],
    ['flights.ndjson', grouped],
    ['flights.csv', grouped],
  ])(
    '%s: each worker fetches its own ranges; the bytes of the local file',
    async (name, lines) => {
      const local = await runFlow(['run', pipeline('local', name, lines), '-q'], { cwd: dir });
      expect(local.code, local.stderr).toBe(0);
      const expected = read('out/copy.ndjson');
      seen.length = 0;
      const run = await queued(pipeline('remote', `${base}/r/${name}`, lines));
      expect(run.code, run.stderr).toBe(0);
      expect(read('out/copy.ndjson')).toBe(expected);
      // The coordinator asked for the head only; every chunk's range (from the byte before it) was fetched.
      const size = files.get(name)!.length;
      const asked = new Set(seen.map((s) => s.range?.split('-')[0]));
      expect(seen.filter((s) => s.range === undefined)).toEqual([]);
      let from = name.endsWith('.csv') ? read(name).indexOf('\n') + 1 : 0;
      for (from += 65536; from < size; from += 65536) expect(asked.has(`bytes=${from - 1}`), `a range from ${from - 1}`).toBe(true);
    },
    60_000,
  );

  it('bad records are located by line as locally: the dead-letter file and the error', async () => {
    const url = `${base}/r/bad.ndjson`;
    const dead = ['on-error: { action: dead-letter, dead-letter: out/rejects.ndjson }', ...outputs];
    // The local run of the same URL (issue 11's stream path) names the URL and the lines.
    const local = await runFlow(['run', pipeline('local', url, dead), '-q'], { cwd: dir });
    expect(local.code, local.stderr).toBe(0);
    const [copy, rejects] = [read('out/copy.ndjson'), read('out/rejects.ndjson')];
    expect(rejects).toContain(`{"source":{"file":"${url}","line":5001}`);
    expect(rejects).toContain(`{"source":{"file":"${url}","line":12002}`);
    const run = await queued(pipeline('remote', url, dead));
    expect(run.code, run.stderr).toBe(0);
    expect(read('out/copy.ndjson')).toBe(copy);
    expect(read('out/rejects.ndjson')).toBe(rejects);

    const failLocal = await runFlow(['run', pipeline('local', url, outputs), '-q'], { cwd: dir });
    expect(failLocal.code).toBe(1);
    expect(failLocal.stderr).toContain(`${url}:5001`);
    const fail = await queued(pipeline('remote', url, outputs));
    expect(fail.code).toBe(1);
    expect(fail.stderr).toBe(failLocal.stderr);
  }, 60_000);

  it.each([
    ['plain/flights.ndjson', 'its server does not answer byte ranges (a request for one byte got the whole file)'],
    ['r/flights.ndjson.gz', 'it is gzip-compressed, and a gzip stream cannot be cut into byte ranges that machines read apart'],
  ])('%s is refused at planning, naming the URL and why (exit 2)', async (at, why) => {
    const run = await runFlow(['run', pipeline('remote', `${base}/${at}`, outputs), '-q', '--queue', redisUrl, '--queue-prefix', newPrefix()], {
      cwd: dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`remote.yaml:2:9 error: path: ${base}/${at} cannot be read through the queue: ${why}\n`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['a different size', (body: Buffer) => Buffer.concat([body, Buffer.from('{"delay": 1}\n')])],
    ['the same size, another ETag', (body: Buffer) => Buffer.from(body.toString('latin1').replace('"delay":', '"DELAY":'), 'latin1')],
  ])(
    'the file changed on the server after planning (%s): exit 1 naming the URL',
    async (_, change) => {
      const url = `${base}/r/changing.ndjson`;
      const before = files.get('changing.ndjson')!;
      const prefix = newPrefix();
      // No worker yet: the coordinator plans and waits; the file changes; then the workers come.
      const run = startFlow(['run', pipeline('remote', url, outputs), '-q', '--queue', redisUrl, '--queue-prefix', prefix], { cwd: dir });
      await planned(suite.redis(), prefix);
      const after = change(before);
      files.set('changing.ndjson', after);
      try {
        await Promise.all([startWorker(prefix, { cwd: dir }), startWorker(prefix, { cwd: dir })]);
        const done = await run.exited;
        expect(done.code, done.stderr).toBe(1);
        expect(done.stderr).toContain(
          `${url} changed on the server after the run was planned: planned ${before.length} bytes, ETag ${etag(before)}; found ${after.length} bytes, ETag ${etag(after)}`,
        );
      } finally {
        files.set('changing.ndjson', before);
      }
    },
    60_000,
  );

  it("a 404 on a worker's range: the run fails naming the URL and the status", async () => {
    const url = `${base}/gone/flights.ndjson`;
    const run = await queued(pipeline('remote', url, outputs));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot read ${url}: HTTP 404 Not Found`);
  }, 60_000);
});
