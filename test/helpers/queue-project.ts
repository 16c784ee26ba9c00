// A small project folder for the queue's fault tests: data.ndjson (record n has id n), a plugin step
// that holds its chunk on chosen records (test/fixtures/queue/steps/slow.mjs), and a pipeline that
// runs it; `--set slow=0` runs the same pipeline without waiting (the reference bytes).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './cli.js';

export interface QueueProject {
  dir: string;
  /** The pid written by the process that first met record `id`, once one has. */
  holder(id: number): number | undefined;
  /** Resolves with the pid of the process that first met record `id`. */
  waitForHolder(id: number, ms?: number): Promise<number>;
  /** Markers left by the processes that met `id` again (its chunk retried): their pids. */
  againBy(id: number): number[];
}

export interface QueueProjectOptions {
  records?: number;
  /** Records on which the slow step waits `ms`, the first time any worker meets them. */
  slowIds: number[];
  ms: number;
  reduce?: boolean;
  chunkBytes?: number;
  /** Lines of YAML added to the pipeline (`retries:`, `on-error:`). */
  extra?: string[];
  /** Lines of text put in the data after record `after` (bad records). */
  insert?: { after: number; lines: string[] };
}

const made: string[] = [];

/** Removes the project folders made so far (queueTests does, after each test). */
export function removeProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function queueProject(options: QueueProjectOptions): QueueProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-queue-'));
  made.push(dir);
  cpSync(path.join(root, 'test/fixtures/queue/steps'), path.join(dir, 'steps'), { recursive: true });
  const records = options.records ?? 2000;
  const lines = Array.from({ length: records }, (_, i) => JSON.stringify({ id: i + 1, k: `k${(i * 7) % 13}`, v: i % 100 }));
  if (options.insert) lines.splice(options.insert.after, 0, ...options.insert.lines);
  writeFileSync(path.join(dir, 'data.ndjson'), `${lines.join('\n')}\n`);
  const yaml = [
    `params: { slow: ${options.ms} }`,
    'source: { step: file, with: { path: data.ndjson } }',
    `chunking: { bytes: ${options.chunkBytes ?? 2048} }`,
    'map:',
    `  - step: ./steps/slow.mjs`,
    '    with:',
    `      ids: [${options.slowIds.join(', ')}]`,
    '      ms: ${{ params.slow }}',
    '  - step: transform',
    '    with: { expr: "{ id: r.id, tag: r.k + \':\' + r.v }" }',
    ...(options.reduce ? ['reduce: { step: group, with: { by: tag, aggregate: { n: count } } }'] : []),
    ...(options.extra ?? []),
    `output: { step: file, with: { path: out/result.${options.reduce ? 'json' : 'ndjson'} } }`,
  ];
  writeFileSync(path.join(dir, 'pipeline.yaml'), `${yaml.join('\n')}\n`);
  const holder = (id: number) => {
    const marker = path.join(dir, 'markers', String(id));
    return existsSync(marker) ? Number(readFileSync(marker, 'utf8')) : undefined;
  };
  return {
    dir,
    holder,
    async waitForHolder(id, ms = 20_000) {
      for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 25))) {
        const pid = holder(id);
        if (pid) return pid;
      }
      throw new Error(`no worker met record ${id} within ${ms} ms`);
    },
    againBy: (id) =>
      existsSync(path.join(dir, 'markers'))
        ? readdirSync(path.join(dir, 'markers'))
            .filter((f) => f.startsWith(`${id}-again-`))
            .map((f) => Number(f.slice(`${id}-again-`.length)))
        : [],
  };
}
