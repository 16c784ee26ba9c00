// Redis connections of the coordinator and the workers: one bounded wait to connect, a refusal of a
// Redis that may evict keys, and a watch that fails the run when Redis stays away too long.
import { createRequire } from 'node:module';
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import { FlowError } from '../../contract/errors.js';
import { shownUrl } from './settings.js';

// Loaded when a queue is used, so a local run never parses ioredis.
const require = createRequire(import.meta.url);

/** A new client; BullMQ needs maxRetriesPerRequest null (a blocking command may wait for ever). */
export function redisClient(url: string): RedisClient {
  const { Redis } = require('ioredis') as typeof import('ioredis');
  // Reconnect every half second at most while Redis is away; the run's own clock decides when to give up.
  const options: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true, retryStrategy: (n) => Math.min(50 * n, 500) };
  return new Redis(url, options);
}

export function unavailable(url: string, ms: number, why: string): FlowError {
  return new FlowError({
    code: 'QUEUE_UNAVAILABLE',
    message: `Redis at ${shownUrl(url)} did not answer for ${Math.round(ms / 100) / 10} s: ${why}`,
    hint: 'start Redis, or check --queue (redis://host:port); FLOW_QUEUE_WAIT_MS sets how long to wait',
  });
}

/** Connects within `ms`, then refuses a Redis whose maxmemory-policy could evict queue keys. */
export async function connect(client: RedisClient, url: string, ms: number): Promise<void> {
  let last = 'no answer';
  const onError = (error: Error) => void (last = error.message || String(error));
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([client.connect(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(unavailable(url, ms, last)), ms)))]);
  } catch (error) {
    client.disconnect();
    throw error instanceof FlowError ? error : unavailable(url, ms, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
  const policy = /maxmemory_policy:(\S+)/.exec(await client.info('memory'))?.[1];
  if (policy !== undefined && policy !== 'noeviction') {
    client.disconnect();
    throw new FlowError({
      code: 'QUEUE_REFUSED',
      message: `Redis at ${shownUrl(url)} has maxmemory-policy ${policy}: it may evict the queue's keys (jobs, locks, results)`,
      hint: 'set maxmemory-policy noeviction (redis-cli CONFIG SET maxmemory-policy noeviction, or in redis.conf)',
    });
  }
}

/**
 * Calls `lost` once when the client has been away from Redis for `ms` (a reconnection within it is
 * no failure). Returns the function that stops the watch.
 */
export function watchConnection(client: RedisClient, url: string, ms: number, lost: (error: FlowError) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let last = 'connection closed';
  const onError = (error: Error) => void (last = error.message || String(error));
  const onClose = () => {
    timer ??= setTimeout(() => lost(unavailable(url, ms, last)), ms);
  };
  const onReady = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  client.on('error', onError);
  client.on('close', onClose);
  client.on('ready', onReady);
  return () => {
    clearTimeout(timer);
    client.off('error', onError);
    client.off('close', onClose);
    client.off('ready', onReady);
  };
}
