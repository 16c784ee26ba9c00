// A unique check through the queue (issue 12): workers on other machines cannot write to the
// coordinator's spill folder, so the plan they get has none; they send each chunk's keys, the
// coordinator spills them itself, and the verdict, counts and examples are the local run's.
import { deserialize } from 'node:v8';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../helpers/cli.js';
import { queueProject } from '../../../helpers/queue-project.js';
import { keysOf, newPrefix, planned, queueTests, redisUrl, runKeys, startFlow, startWorker } from '../../../helpers/redis.js';

const suite = queueTests();

function project(check: string) {
  return queueProject({ records: 6000, slowIds: [], ms: 0, chunkBytes: 4096, extra: ['checks:', `  - unique: [${check}]`] });
}

describe('a unique check on flow workers', () => {
  it('holds: the workers get no spill folder, the output is the local bytes, no key is left', async () => {
    const prefix = newPrefix();
    const { dir } = project('id');
    const local = await runFlow(['run', 'pipeline.yaml', '-q', '-o', 'out/local.ndjson'], { cwd: dir });
    expect(local.code, local.stderr).toBe(0);
    // No worker yet: the run's record can be read before any chunk runs.
    const run = startFlow(['run', 'pipeline.yaml', '-q', '--queue', redisUrl, '--queue-prefix', prefix], { cwd: dir });
    await planned(suite.redis(), prefix);
    const [key] = (await keysOf(suite.redis(), prefix)).filter((k) => /:run:[0-9a-z]+$/.test(k));
    const record = JSON.parse((await suite.redis().get(key!))!) as { plan: string };
    const plan = deserialize(Buffer.from(record.plan, 'base64')) as { checks?: unknown[]; checkSpill?: string };
    expect(plan.checks).toHaveLength(1);
    expect(plan.checkSpill).toBeUndefined();
    await startWorker(prefix, { cwd: dir, threads: 2 });
    const done = await run.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'out/result.ndjson'), 'utf8')).toBe(readFileSync(path.join(dir, 'out/local.ndjson'), 'utf8'));
    expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
  });

  it('fails: exit 3 with the local run’s very message (counts, examples at file:line), nothing written', async () => {
    const prefix = newPrefix();
    const { dir } = project('tag');
    const local = await runFlow(['run', 'pipeline.yaml', '-q'], { cwd: dir });
    expect(local.code).toBe(3);
    expect(local.stderr).toMatch(/data\.ndjson:\d+/);
    await startWorker(prefix, { cwd: dir, threads: 2 });
    const queued = await runFlow(['run', 'pipeline.yaml', '-q', '--queue', redisUrl, '--queue-prefix', prefix], { cwd: dir });
    expect(queued.code).toBe(3);
    expect(queued.stderr).toBe(local.stderr);
    expect(() => readFileSync(path.join(dir, 'out/result.ndjson'))).toThrow();
    expect(runKeys(await keysOf(suite.redis(), prefix), prefix)).toEqual([]);
  });
});
