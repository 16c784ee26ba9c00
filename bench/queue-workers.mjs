// Standing `flow worker`s for the queue scenario (issue 12): started before each timed run of the
// queued tool and stopped after it, so the run is timed as on a fleet that is already up (each run
// still starts its own threads in the workers, as a local run starts its pool). Redis: REDIS_URL,
// default 127.0.0.1:6379; each run has its own key prefix, removed afterwards.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Starts `count` workers of `threads` threads on `prefix`; resolves, once all are ready, with their stop(). */
export async function startWorkers(ctx, prefix, count, threads = 1) {
  const workers = Array.from({ length: count }, () =>
    spawn(process.execPath, [ctx.cli, 'worker', '--queue', redisUrl, '--queue-prefix', prefix, '--threads', String(threads)], {
      cwd: ctx.root,
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          let err = '';
          w.stderr.setEncoding('utf8').on('data', (d) => {
            err += d;
            if (err.includes('taking chunks from')) resolve();
          });
          w.on('exit', (code) => reject(new Error(`flow worker exited ${code}: ${err.trim().split('\n').slice(-2).join(' | ')}`)));
        }),
    ),
  );
  return async () => {
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve() : (w.on('exit', resolve), w.kill('SIGTERM'))))));
    const { Redis } = createRequire(path.join(ctx.root, 'package.json'))('ioredis');
    const client = new Redis(redisUrl);
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  };
}
