// Workers say they are there: each keeps a key with its thread count alive while it runs, so that a
// coordinator can size its window from the threads that will take its chunks.
import type { Redis as RedisClient } from 'ioredis';
import { workerKey } from './settings.js';

const TTL_MS = 15_000;

/** Keeps this worker's key alive until the returned function is called (which deletes it). */
export function announce(client: RedisClient, prefix: string, name: string, threads: number): () => Promise<void> {
  const key = workerKey(prefix, name);
  const beat = () => void client.set(key, String(threads), 'PX', TTL_MS).catch(() => {});
  beat();
  const timer = setInterval(beat, TTL_MS / 3);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await client.del(key).catch(() => {});
  };
}

/** The threads of every worker present now. */
export async function threadsSeen(client: RedisClient, prefix: string): Promise<number> {
  let threads = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', workerKey(prefix, '*'), 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) for (const value of await client.mget(...keys)) threads += Number(value) || 0;
  } while (cursor !== '0');
  return threads;
}

/**
 * Passes on the threads seen, and says once per run, the first time none is seen, that the run waits
 * for workers: without it a run started before its workers shows nothing at all.
 */
export function waitingNotice(say: ((line: string) => void) | undefined, shownUrl: string, prefix: string): (threads: number) => number {
  let said = false;
  return (threads) => {
    if (threads === 0 && !said) {
      said = true;
      say?.(`waiting for flow workers on ${shownUrl} (prefix ${prefix})`);
    }
    return threads;
  };
}
