// createPool's argument checks, which need no thread (the threads run in pool.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import type { ResolvedStep } from '../../../../engine/contract/plan.js';
import type { WorkerPlan } from '../../../../engine/execution/messages.js';
import { createPool } from '../../../../engine/execution/pool/pool.js';
import { builtinModule } from '../../../../steps/registry.js';

const context = { pipelineDir: '/tmp' };
const range: ResolvedStep = { kind: 'source', name: 'range', module: builtinModule('source', 'range')!, options: { end: 1000 }, path: 'source' };

describe('createPool', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses threads = %s with a RangeError', (threads) => {
    const plan: WorkerPlan = { context, source: range, map: [], form: 'records', emit: false };
    expect(() => createPool(plan, threads)).toThrow(new RangeError(`threads must be a positive integer, got ${threads}`));
    let thrown: unknown;
    try {
      createPool(plan, threads);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RangeError);
  });
});
