// Memory stays bounded whatever the input size: a map-only pipeline streams 3,000,000 records
// (277 MB in) to a file without holding them, so the whole process (worker threads included)
// peaks far below what the records would take in memory (well over 1 GiB as JS objects).
import { mkdtempSync, readFileSync, writeFileSync, createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { root, runFlow } from './helpers/cli.js';

it('streams 3M records from NDJSON to NDJSON in bounded memory, in source order', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-memory-'));
  const input = path.join(root, '.cache/data/flights-3m.ndjson');
  writeFileSync(
    path.join(dir, 'pipeline.yaml'),
    `source:\n  step: file\n  with: { path: ${JSON.stringify(input)} }\nmap:\n  - step: select\n    with: { fields: [origin, delay] }\noutput:\n  step: file\n  with: { path: out/flights.ndjson }\n`,
  );
  const run = await runFlow(['run', 'pipeline.yaml', '--quiet', '--workers', '2', '--report', 'report.json'], { cwd: dir });
  expect(run.code).toBe(0);
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { summary: { recordsOut: number; peakRssMiB: number } };
  expect(report.summary.recordsOut).toBe(3_000_000);
  expect(report.summary.peakRssMiB).toBeLessThan(512);

  // Every record, in source order.
  const source = createInterface({ input: createReadStream(input) })[Symbol.asyncIterator]();
  const output = createInterface({ input: createReadStream(path.join(dir, 'out/flights.ndjson')) });
  let n = 0;
  for await (const line of output) {
    const original = JSON.parse((await source.next()).value as string) as { origin: string; delay: number };
    if (n % 1000 === 0 || n < 10) expect(JSON.parse(line)).toEqual({ origin: original.origin, delay: original.delay });
    n++;
  }
  expect(n).toBe(3_000_000);
});
