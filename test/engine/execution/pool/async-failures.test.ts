// Which step an asynchronous failure in a worker came from: the nearest frame of its stack that is a
// step's module (the failure itself is caught in a real thread: test/run-retries.e2e.test.ts).
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResolvedStep } from '../../../../engine/contract/plan.js';
import { stepOf } from '../../../../engine/execution/pool/async-failures.js';

const step = (path: string, name: string, file: string): ResolvedStep => ({ kind: 'map', name, module: pathToFileURL(file).href, options: {}, path });
const plan = {
  source: { kind: 'source' as const, name: 'range', module: 'file:///app/dist/steps/source-range.js', options: {}, path: 'source' },
  map: [step('map[0]', './steps/a.mjs', '/p/steps/a.mjs'), step('map[1]', './steps/b.cjs', '/p/steps/b.cjs')],
};
const thrown = (...frames: string[]) => Object.assign(new Error('late'), { stack: ['Error: late', ...frames.map((f) => `    at ${f}`)].join('\n') });

describe('stepOf', () => {
  it('names the step whose module (an ESM URL) is on the stack', () => {
    expect(stepOf(thrown('Timeout._onTimeout (file:///p/steps/a.mjs:3:11)', 'listOnTimeout (node:internal/timers:573:17)'), plan)).toBe(
      'map[0] (./steps/a.mjs)',
    );
  });

  it('finds a CommonJS module by its path, and takes the nearest frame when several steps are on the stack', () => {
    expect(stepOf(thrown('helper (/p/steps/b.cjs:9:1)', 'Object.map (file:///p/steps/a.mjs:3:11)'), plan)).toBe('map[1] (./steps/b.cjs)');
  });

  it('names nothing when no step is on the stack, or there is no stack', () => {
    expect(stepOf(thrown('process.processTicksAndRejections (node:internal/process/task_queues:95:5)'), plan)).toBeUndefined();
    expect(stepOf('a string was thrown', plan)).toBeUndefined();
  });
});
