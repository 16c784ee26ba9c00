// HTTP(S) inputs end to end, against a node:http server this test starts: a server that answers byte
// ranges (the file fetched in parallel pieces) and one that does not (one stream), NDJSON, CSV and
// gzip, each giving the bytes the same pipeline gives on the local file, for 1 and 2 workers; a 404
// and a 403 named with the URL and status; a server whose first answer is a 503 (retried).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-http-'));
const files = new Map<string, Buffer>();
/** Every request the server saw: its path, Range header and the status it got. */
const seen: Array<{ url: string; range?: string; status: number }> = [];
const flaky = new Set<string>();
/** Range requests being answered now, and the most at once. */
const ranges = { open: 0, most: 0 };
const held: Array<() => void> = [];
let server: http.Server;
let base = '';

beforeAll(async () => {
  // 2 MB of the real flights: enough for dozens of 64 KiB ranges.
  const flights = readFileSync(path.join(root, '.cache/data/flights-3m.ndjson')).subarray(0, 2_000_000);
  const ndjson = flights.subarray(0, flights.lastIndexOf(10) + 1);
  const csv = Buffer.from(
    'date,delay,distance,origin,destination\n' +
      ndjson
        .toString('utf8')
        .trim()
        .split('\n')
        .map((l) => Object.values(JSON.parse(l) as Record<string, unknown>).join(','))
        .join('\n') +
      '\n',
  );
  for (const [name, bytes] of [
    ['flights.ndjson', ndjson],
    ['flights.csv', csv],
    ['flights.ndjson.gz', gzipSync(ndjson)],
  ] as const) {
    files.set(name, bytes);
    writeFileSync(path.join(dir, name), bytes);
  }
  server = http.createServer((req, res) => {
    const [, kind, name] = (req.url ?? '').split('/');
    const body = files.get(name ?? '');
    const answer = (status: number) => seen.push({ url: req.url!, ...(req.headers.range ? { range: req.headers.range } : {}), status });
    if (kind === 'status') {
      answer(Number(name));
      res.writeHead(Number(name)).end('no');
      return;
    }
    if (!body) {
      answer(404);
      res.writeHead(404).end('not found');
      return;
    }
    if (kind === 'flaky' && !flaky.has(name!)) {
      flaky.add(name!);
      answer(503);
      res.writeHead(503).end('try again');
      return;
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (kind !== 'plain' && range) {
      const start = Number(range[1]);
      const end = Math.min(body.length - 1, Number(range[2]));
      answer(206);
      // `changing`: the file grows after the first answer.
      const total = kind === 'changing' && start > 0 ? body.length + 10 : body.length;
      ranges.most = Math.max(ranges.most, ++ranges.open);
      const reply = () =>
        // A little latency, as over a network: a request that comes meanwhile is counted as overlapping.
        setTimeout(() => {
          ranges.open--;
          res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${total}`, 'content-length': end - start + 1, 'accept-ranges': 'bytes' });
          res.end(body.subarray(start, end + 1));
        }, 5);
      // An answer waits (200 ms at most) for a second request in flight, so that a loaded machine, slow to
      // send the second, still shows the overlap the client asked for; a client with one at a time waits out the 200 ms.
      held.push(reply);
      if (held.length >= 2) for (const r of held.splice(0)) r();
      else
        setTimeout(() => {
          const i = held.indexOf(reply);
          if (i >= 0) held.splice(i, 1)[0]!();
        }, 200);
      return;
    }
    // No ranges: the whole body, in pieces, without a length.
    answer(200);
    res.writeHead(200);
    for (let i = 0; i < body.length; i += 100_000) res.write(body.subarray(i, i + 100_000));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** A map-only pipeline (every record, in order) from `input` to out/NAME.ndjson; its output's bytes. */
async function copy(name: string, input: string, workers: number): Promise<string> {
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  const yaml = `source:\n  step: file\n  with: { path: ${JSON.stringify(input)} }\nchunking: { bytes: 65536 }\noutput:\n  step: file\n  with: { path: out/${name}.ndjson }\n`;
  writeFileSync(path.join(dir, `${name}.yaml`), yaml);
  const run = await runFlow(['run', `${name}.yaml`, '--quiet', '--workers', String(workers)], { cwd: dir });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return readFileSync(path.join(dir, 'out', `${name}.ndjson`), 'utf8');
}

describe('http(s) inputs', () => {
  for (const file of ['flights.ndjson', 'flights.csv', 'flights.ndjson.gz']) {
    it(`${file}: by parallel ranges and as one stream, the bytes the local file gives, for 1 and 2 workers`, async () => {
      const local = await copy('local', file, 1);
      expect(local.split('\n').length).toBeGreaterThan(20_000);
      for (const workers of [1, 2]) {
        seen.length = 0;
        ranges.most = 0;
        expect(await copy(`ranges-${workers}`, `${base}/ranges/${file}`, workers)).toBe(local);
        // Pieces are fetched in parallel (at least 2 at a time, up to one per worker).
        expect(ranges.most).toBe(2);
        // The probe of the first byte, then 64 KiB pieces.
        const pieces = seen.filter((s) => s.status === 206 && s.range !== 'bytes=0-0');
        expect(pieces.length).toBe(Math.ceil(files.get(file)!.length / 65536));
        expect(pieces[0]!.range).toBe('bytes=0-65535');
        seen.length = 0;
        expect(await copy(`plain-${workers}`, `${base}/plain/${file}`, workers)).toBe(local);
        expect(seen.filter((s) => s.status === 200).length).toBe(2);
      }
    }, 60_000);
  }

  it('a group-by reading only the fields it needs gives the local result, by ranges and as one stream', async () => {
    const groupBy = (input: string) =>
      `source:\n  step: file\n  with: { path: ${JSON.stringify(input)} }\nchunking: { bytes: 100000 }\nreduce:\n  step: group\n  with: { by: origin, aggregate: { flights: count, delay: { mean: delay } } }\n`;
    const results: string[] = [];
    for (const input of ['flights.csv', `${base}/ranges/flights.csv`, `${base}/plain/flights.csv`]) {
      writeFileSync(path.join(dir, 'group.yaml'), groupBy(input));
      const run = await runFlow(['run', 'group.yaml', '--quiet', '--workers', '2'], { cwd: dir });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      results.push(run.stdout);
    }
    expect(JSON.parse(results[0]!)).toHaveLength(
      new Set(
        files
          .get('flights.csv')!
          .toString()
          .split('\n')
          .slice(1, -1)
          .map((l) => l.split(',')[3]),
      ).size,
    );
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
  });

  it('flow inspect reads a URL like the file', async () => {
    const local = await runFlow(['inspect', 'flights.ndjson', '--json'], { cwd: dir });
    const remote = await runFlow(['inspect', `${base}/ranges/flights.ndjson`, '--json'], { cwd: dir });
    expect(remote.code).toBe(0);
    const strip = (text: string) => {
      const { inputs, ...rest } = JSON.parse(text) as { inputs: Array<{ path: string; bytes: number }> };
      return { rest, bytes: inputs[0]!.bytes };
    };
    expect(strip(remote.stdout)).toEqual(strip(local.stdout));
    expect((JSON.parse(remote.stdout) as { inputs: Array<{ path: string }> }).inputs[0]!.path).toBe(`${base}/ranges/flights.ndjson`);
  });

  it('a 404 or a 403 is an error naming the URL and the status, exit 1, no stack', async () => {
    for (const [url, status] of [
      [`${base}/ranges/missing.ndjson`, '404 Not Found'],
      [`${base}/status/403`, '403 Forbidden'],
    ]) {
      writeFileSync(path.join(dir, 'bad.yaml'), `source:\n  step: file\n  with: { path: ${JSON.stringify(url)}, format: ndjson }\nreduce: count\n`);
      const run = await runFlow(['run', 'bad.yaml', '--quiet'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`cannot read ${url}: HTTP ${status}`);
      expect(run.stderr).not.toMatch(/\n\s+at .*\(/);
    }
  });

  it('json and parquet are read from local files only: an error before any request', async () => {
    seen.length = 0;
    writeFileSync(path.join(dir, 'array.yaml'), `source:\n  step: file\n  with: { path: "${base}/ranges/x.json" }\nreduce: count\n`);
    const run = await runFlow(['run', 'array.yaml', '--quiet'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${base}/ranges/x.json: format json is read from local files only, not from a URL`);
    expect(seen).toEqual([]);
  });

  it('a 503 is tried again after a backoff: a flaky server still gives every record', async () => {
    seen.length = 0;
    const local = await copy('local', 'flights.ndjson', 1);
    expect(await copy('flaky', `${base}/flaky/flights.ndjson`, 2)).toBe(local);
    expect(seen[0]).toMatchObject({ status: 503, range: 'bytes=0-0' });
    expect(seen[1]).toMatchObject({ status: 206, range: 'bytes=0-0' });
  });

  it('a file that changes on the server while it is read is an error, not a mix of two versions', async () => {
    writeFileSync(
      path.join(dir, 'changing.yaml'),
      `source:\n  step: file\n  with: { path: "${base}/changing/flights.ndjson" }\nchunking: { bytes: 65536 }\nreduce: count\n`,
    );
    const run = await runFlow(['run', 'changing.yaml', '--quiet'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot read ${base}/changing/flights.ndjson: the file changed on the server while it was read`);
  });

  it('a server that keeps failing: the URL, the status and the attempts', async () => {
    writeFileSync(path.join(dir, 'down.yaml'), `source:\n  step: file\n  with: { path: "${base}/status/500", format: ndjson }\nreduce: count\n`);
    seen.length = 0;
    const run = await runFlow(['run', 'down.yaml', '--quiet'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot read ${base}/status/500: HTTP 500 Internal Server Error (3 attempts)`);
    expect(seen.length).toBe(3);
  });
});
