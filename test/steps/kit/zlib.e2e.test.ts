// node:zlib is loaded on first use (steps/kit/zlib.ts): a run without gzip input or output never
// loads it, in the CLI or in a worker thread; a gzip input still reads, and gives the same result.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../helpers/cli.js';
import { tempDirs } from '../../helpers/temp.js';

const tempDir = tempDirs('flow-zlib-');

// Preloaded in the CLI and in each worker thread: says whether node:zlib is loaded, in the CLI at its
// exit, in a worker each time it posts a message (a chunk's result among them).
const PRELOAD = `
const { isMainThread, MessagePort } = require('node:worker_threads');
const say = () => require('node:fs').writeSync(2, (isMainThread ? 'main' : 'worker') + ' zlib ' + process.moduleLoadList.includes('NativeModule zlib') + '\\n');
if (isMainThread) process.on('exit', say);
else {
  const post = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (...args) {
    say();
    return post.apply(this, args);
  };
}
`;

function project(gzip: boolean): { dir: string; pipeline: string } {
  const dir = tempDir();
  const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ origin: ['SFO', 'LAX', 'JFK'][i % 3], delay: i % 17 })).join('\n') + '\n';
  const file = gzip ? 'flights.ndjson.gz' : 'flights.ndjson';
  writeFileSync(path.join(dir, file), gzip ? gzipSync(lines) : lines);
  writeFileSync(path.join(dir, 'preload.cjs'), PRELOAD);
  const pipeline = path.join(dir, 'pipeline.yaml');
  writeFileSync(
    pipeline,
    `source: { step: file, with: { path: ${file} } }\nreduce: { step: group, with: { by: origin, aggregate: { flights: count, total: { sum: delay } } } }\n`,
  );
  return { dir, pipeline };
}

async function run(gzip: boolean) {
  const { dir, pipeline } = project(gzip);
  const result = await runFlow(['run', pipeline, '--quiet', '--workers', '1'], {
    // A worker thread even for this small file, where the worker's own imports show.
    env: { FLOW_NO_IN_PROCESS: '1', NODE_OPTIONS: `--require ${path.join(dir, 'preload.cjs')}` },
  });
  return { ...result, loaded: [...result.stderr.matchAll(/^(main|worker) zlib (true|false)$/gm)].map((m) => `${m[1]} ${m[2]}`) };
}

const expected = [
  { origin: 'JFK', flights: 100, total: 787 },
  { origin: 'LAX', flights: 100, total: 789 },
  { origin: 'SFO', flights: 100, total: 791 },
];

describe('node:zlib on first use', () => {
  it('is loaded neither by the CLI nor by a worker thread for a plain NDJSON group-by', async () => {
    const { code, stdout, loaded } = await run(false);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expected);
    // The worker posts its chunk's result after reading it: by then its steps are all loaded.
    expect(loaded.filter((line) => line.startsWith('worker')).length).toBeGreaterThan(1);
    expect(new Set(loaded)).toEqual(new Set(['main false', 'worker false']));
  });

  it('is loaded for a gzip input, which reads to the same result', async () => {
    const { code, stdout, loaded } = await run(true);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(expected);
    expect(loaded).toContain('main true');
  });
});
