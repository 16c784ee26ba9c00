import { describe, expect, it } from 'vitest';
import type { Plan, ResolvedStep } from '../../../engine/contract/plan.js';
import type { ChunkResult } from '../../../engine/execution/messages.js';
import { stepCounts, stepTally, tallyChunk } from '../../../engine/run/step-counts.js';

const at = (kind: ResolvedStep['kind'], name: string, path: string): ResolvedStep => ({ kind, name, module: 'x', options: {}, path });
const plan = {
  source: at('source', 'file', 'source'),
  map: [at('map', 'filter', 'map[0]'), at('map', 'flat-map', 'map[1]'), at('map', 'set', 'map[2]')],
  reduce: at('reduce', 'group', 'reduce'),
} as unknown as Plan;
const chunk = (steps: number[], recordsIn: number, recordsOut: number, rejected: string[] = []): ChunkResult => ({
  type: 'partial',
  acc: undefined,
  index: 0,
  recordsIn,
  recordsOut,
  steps,
  ...(rejected.length ? { rejected: rejected.map((step, i) => ({ recordInChunk: i, step, code: 'STEP_FAILED' as const, message: 'x' })) } : {}),
});

describe('per-step counts', () => {
  it('sums the chunks and chains each step from the one before; rejections by step', () => {
    const tally = stepTally(plan);
    tallyChunk(tally, chunk([6, 12], 10, 11, ['source', 'map[2]']));
    tallyChunk(tally, chunk([3, 6], 5, 6));
    expect(stepCounts(plan, tally, 15, 17)).toEqual([
      { step: 'source', name: 'file', recordsOut: 14, rejected: 1 },
      { step: 'map[0]', name: 'filter', recordsIn: 14, recordsOut: 9 },
      { step: 'map[1]', name: 'flat-map', recordsIn: 9, recordsOut: 18 },
      { step: 'map[2]', name: 'set', recordsIn: 18, recordsOut: 17, rejected: 1 },
      { step: 'reduce', name: 'group', recordsIn: 17 },
    ]);
  });

  it('no map step: the source hands its records to the reducer', () => {
    const bare = { ...plan, map: [] } as Plan;
    expect(stepCounts(bare, stepTally(bare), 5, 5)).toEqual([
      { step: 'source', name: 'file', recordsOut: 5 },
      { step: 'reduce', name: 'group', recordsIn: 5 },
    ]);
  });
});
