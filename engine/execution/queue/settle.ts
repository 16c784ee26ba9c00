// A step's asynchronous failure after its chunk's result (a timer that throws later) fails a queued run
// as it fails a local one (dispatch.ts, pool settle): at the run's end the coordinator asks each worker
// that ran its chunks, over pub/sub, to settle the run's threads, and waits for their answers.
import type { Redis as RedisClient } from 'ioredis';
import { FlowError, type FlowErrorInit } from '../../contract/errors.js';
import { runKey, workerKey } from './settings.js';

const channel = (prefix: string) => `${prefix}:flow-settle`;
const answersKey = (prefix: string, runId: string) => `${runKey(prefix, runId)}:settled`;

interface Answer {
  worker: string;
  error?: FlowErrorInit;
}

/**
 * The coordinator's side: the first late failure a worker reports, or undefined once every worker that
 * ran chunks and is still present has answered. A worker silent past `waitMs` (it died after its chunks)
 * is not waited for longer: its results are in, and its threads are gone with it.
 */
export async function settleWorkers(client: RedisClient, prefix: string, runId: string, workers: string[], waitMs: number): Promise<FlowError | undefined> {
  const present = await Promise.all(workers.map(async (name) => ((await client.exists(workerKey(prefix, name))) === 1 ? name : undefined)));
  const left = new Set(present.filter((name) => name !== undefined));
  if (left.size === 0) return undefined;
  await client.publish(channel(prefix), runId);
  const key = answersKey(prefix, runId);
  for (const until = Date.now() + waitMs; left.size > 0 && Date.now() < until;) {
    const answers = (await client.lpop(key, 100)) ?? [];
    for (const text of answers) {
      const answer = JSON.parse(text) as Answer;
      if (answer.error) return new FlowError({ ...answer.error, message: `${answer.error.message} (on flow worker ${answer.worker})` });
      left.delete(answer.worker);
    }
    if (answers.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

/**
 * The worker's side: answers each settle request for a run it holds (or held) threads of; `settle`
 * gives undefined for a run it never ran. Returns the function that stops listening.
 */
export async function answerSettles(
  client: RedisClient,
  prefix: string,
  name: string,
  settle: (runId: string) => Promise<FlowError | undefined> | undefined,
  ttlMs: number,
): Promise<() => void> {
  const listener = client.duplicate();
  listener.on('error', () => {});
  await listener.subscribe(channel(prefix));
  listener.on('message', (_channel: string, runId: string) => {
    const settled = settle(runId);
    if (!settled) return;
    void settled
      .then(async (error) => {
        const answer: Answer = { worker: name, ...(error ? { error: error.toJSON() } : {}) };
        const key = answersKey(prefix, runId);
        await client.multi().rpush(key, JSON.stringify(answer)).pexpire(key, ttlMs).exec();
      })
      .catch(() => {});
  });
  return () => listener.disconnect();
}
