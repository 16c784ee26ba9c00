// Every fast path is a second implementation of something that already works: with all of them off
// (engine/contract/fast-paths.ts), every example pipeline gives the same bytes as with all of them on.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastPaths } from '../engine/contract/fast-paths.js';
import { root, runFlow } from './helpers/cli.js';

const examples = readdirSync(path.join(root, 'pipelines'))
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
  .sort();
const allOff = Object.fromEntries(Object.values(fastPaths).map((name) => [name, '1']));
const allOn = Object.fromEntries(Object.values(fastPaths).map((name) => [name, '']));

/** The pipeline's stdout and the file it writes (`output: file` examples write under out/). */
async function run(file: string, env: NodeJS.ProcessEnv, report: string) {
  const result = await runFlow(['run', path.join('pipelines', file), '--quiet', '--report', report], { env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const target = /path: (\.\.\/out\/[^ }]+)/.exec(readFileSync(path.join(root, 'pipelines', file), 'utf8'))?.[1];
  return { stdout: result.stdout, written: target ? readFileSync(path.join(root, 'pipelines', target)) : undefined };
}

describe('fast paths change no output', () => {
  it('switches are named FLOW_NO_*', () => {
    expect(Object.values(fastPaths)).toEqual([
      'FLOW_NO_PROJECTION',
      'FLOW_NO_SHAPES',
      'FLOW_NO_NUMBERS',
      'FLOW_NO_EMIT',
      'FLOW_NO_IN_PROCESS',
      'FLOW_NO_WASM',
      'FLOW_NO_COLUMNS',
      'FLOW_NO_NDJSON_COLUMNS',
      'FLOW_NO_QUEUE_JSON',
      'FLOW_NO_SHARED_TEXT',
      'FLOW_NO_FEEDER_FIRST',
      'FLOW_NO_SHARED_THREADS',
      'FLOW_NO_TS_COMPILE',
    ]);
  });

  it.each(examples)(
    '%s: the same bytes with every fast path off as on',
    async (file) => {
      const reports = path.join(root, 'out', 'fast-paths');
      const on = await run(file, allOn, path.join(reports, `${file}.on.json`));
      const off = await run(file, allOff, path.join(reports, `${file}.off.json`));
      expect(off.stdout).toBe(on.stdout);
      // Off means off: the slow path ran.
      const taken = JSON.parse(readFileSync(path.join(reports, `${file}.off.json`), 'utf8')).summary.execution;
      expect(taken).toMatchObject({ where: 'threads', form: 'records', emit: false });
      expect(taken.fields).toBeUndefined();
      expect(off.written?.equals(on.written!) ?? on.written === undefined).toBe(true);
      expect(on.stdout.length + (on.written?.length ?? 0)).toBeGreaterThan(0);
    },
    180_000,
  );
});
