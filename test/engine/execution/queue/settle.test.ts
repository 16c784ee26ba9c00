// settle.ts against a real Redis: the coordinator waits for the workers that ran chunks and are present,
// takes the first late failure, and stops waiting for a silent one after its bound.
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { answerSettles, settleWorkers } from '../../../../engine/execution/queue/settle.js';
import { workerKey } from '../../../../engine/execution/queue/settings.js';
import { newPrefix, queueTests } from '../../../helpers/redis.js';

const suite = queueTests();
const late = new FlowError({ code: 'STEP_FAILED', message: 'an uncaught error in a timer or callback: too late', step: 'map[0] (./steps/x.mjs)' });

async function present(prefix: string, ...names: string[]) {
  for (const name of names) await suite.redis().set(workerKey(prefix, name), '1', 'PX', 60_000);
}

describe('settle', () => {
  it("a worker's late failure fails the run, named with the worker; a worker that never ran the run is not asked", async () => {
    const prefix = newPrefix();
    await present(prefix, 'a', 'b');
    const asked: string[] = [];
    const stops = [
      await answerSettles(suite.redis(), prefix, 'a', (runId) => (asked.push(`a:${runId}`), Promise.resolve(undefined)), 60_000),
      await answerSettles(suite.redis(), prefix, 'b', (runId) => (asked.push(`b:${runId}`), Promise.resolve(late)), 60_000),
      await answerSettles(suite.redis(), prefix, 'c', () => undefined, 60_000),
    ];
    const error = await settleWorkers(suite.redis(), prefix, 'run1', ['a', 'b'], 5000);
    for (const stop of stops) stop();
    expect(error).toBeInstanceOf(FlowError);
    expect(error?.toJSON()).toEqual({ ...late.toJSON(), message: 'an uncaught error in a timer or callback: too late (on flow worker b)' });
    expect(asked.sort()).toEqual(['a:run1', 'b:run1']);
  });

  it('all settled: undefined as soon as every worker answered', async () => {
    const prefix = newPrefix();
    await present(prefix, 'a', 'b');
    const stops = await Promise.all(['a', 'b'].map((name) => answerSettles(suite.redis(), prefix, name, () => Promise.resolve(undefined), 60_000)));
    const started = Date.now();
    expect(await settleWorkers(suite.redis(), prefix, 'run2', ['a', 'b'], 5000)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(4000);
    for (const stop of stops) stop();
  });

  it('a worker gone from presence is not waited for; a silent one present is waited for until the bound', async () => {
    const prefix = newPrefix();
    await present(prefix, 'silent');
    const started = Date.now();
    expect(await settleWorkers(suite.redis(), prefix, 'run3', ['gone'], 5000)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await settleWorkers(suite.redis(), prefix, 'run3', ['silent', 'gone'], 300)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
