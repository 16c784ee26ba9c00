// Map-only through the queue (issue 12): 3,000,000 records come back from two flow workers in chunk
// order, and the coordinator holds no more of them than its window: its peak stays far below what the
// records would take in memory (well over 1 GiB as JS objects, 277 MB as text), with the local bytes.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { root, runFlow } from '../../../helpers/cli.js';
import { keysOf, newPrefix, queueTests, redisUrl, runKeys, startWorker } from '../../../helpers/redis.js';

const suite = queueTests();
const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-queue-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

it('streams 3M records back from two workers in bounded coordinator memory, the local bytes', async () => {
  const input = path.join(root, '.cache/data/flights-3m.ndjson');
  writeFileSync(
    path.join(dir, 'pipeline.yaml'),
    `source:\n  step: file\n  with: { path: ${JSON.stringify(input)} }\nmap:\n  - step: select\n    with: { fields: [origin, delay] }\noutput:\n  step: file\n  with: { path: out/flights.ndjson }\n`,
  );
  const prefix = newPrefix();
  await Promise.all([startWorker(prefix, { cwd: dir }), startWorker(prefix, { cwd: dir })]);
  const queued = await runFlow(['run', 'pipeline.yaml', '-q', '--report', 'report.json', '--queue', redisUrl, '--queue-prefix', prefix], { cwd: dir });
  expect(queued.code, queued.stderr).toBe(0);
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
    summary: { recordsOut: number; peakRssMiB: number; queue: { workers: Array<{ chunks: number }> } };
  };
  expect(report.summary.recordsOut).toBe(3_000_000);
  expect(report.summary.queue.workers).toHaveLength(2);
  // The coordinator process alone (no worker threads here): records in flight are a window of chunks.
  expect(report.summary.peakRssMiB).toBeLessThan(400);
  const local = await runFlow(['run', 'pipeline.yaml', '-q', '-o', 'out/local.ndjson'], { cwd: dir });
  expect(local.code, local.stderr).toBe(0);
  expect(await sha256(path.join(dir, 'out/flights.ndjson'))).toBe(await sha256(path.join(dir, 'out/local.ndjson')));
  expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
});
