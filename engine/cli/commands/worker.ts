// flow worker --queue URL: takes chunk jobs of `flow run --queue` until stopped. The first SIGTERM
// or SIGINT finishes the chunks in hand and exits 0; a second one exits at once (130).
import { availableParallelism } from 'node:os';
import { FlowError } from '../../contract/errors.js';
import { queuePrefix, shownUrl, workerName } from '../../execution/queue/settings.js';

export interface WorkerFlags {
  queue?: string;
  threads?: string;
  'queue-prefix'?: string;
  quiet?: boolean;
}

/** A redis:// or rediss:// URL, else BAD_ARGS naming the flag. */
export function parseQueueUrl(text: string | undefined, command: string): string {
  if (text === undefined) throw new FlowError({ code: 'BAD_ARGS', message: `flow ${command} needs --queue URL`, hint: 'e.g. --queue redis://127.0.0.1:6379' });
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    throw new FlowError({
      code: 'BAD_ARGS',
      message: `--queue ${shownUrl(text)}: expected a redis:// or rediss:// URL`,
      hint: 'e.g. --queue redis://10.0.0.5:6379',
    });
  }
  return text;
}

export async function workerCommand(positionals: string[], flags: WorkerFlags): Promise<number> {
  if (positionals.length > 0)
    throw new FlowError({ code: 'BAD_ARGS', message: `flow worker takes no file, got ${positionals.join(' ')}`, hint: 'flow worker --queue URL' });
  const url = parseQueueUrl(flags.queue, 'worker');
  const threads = flags.threads === undefined ? availableParallelism() : parseThreads(flags.threads);
  const prefix = queuePrefix(flags['queue-prefix'], process.env);
  const name = workerName();
  const log = (line: string) => void (flags.quiet ? undefined : process.stderr.write(`flow worker ${name}: ${line}\n`));
  const { startQueueWorker } = await import('../../execution/queue/index.js');
  const worker = await startQueueWorker({ url, prefix, name, threads, cwd: process.cwd(), env: process.env, log });
  log(`taking chunks from ${shownUrl(url)} (prefix ${prefix}, ${threads} thread${threads === 1 ? '' : 's'})`);
  const signal = await Promise.race([
    new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    }),
    // BullMQ's loop stopped by itself: a worker that takes no jobs must not look alive.
    worker.ended.catch(async (error: unknown) => {
      const why = error instanceof Error ? error.message : String(error);
      await Promise.race([worker.close(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      throw new FlowError({ code: 'QUEUE_UNAVAILABLE', message: `flow worker stopped taking jobs: ${why}` });
    }),
  ]);
  const again = () => process.exit(130);
  process.once('SIGTERM', again);
  process.once('SIGINT', again);
  log(`${signal}: finishing the chunks in hand`);
  await worker.close();
  log('stopped');
  return 0;
}

function parseThreads(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new FlowError({ code: 'BAD_ARGS', message: `--threads ${text}: expected a positive integer` });
  return n;
}
