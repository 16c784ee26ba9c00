// watchFields: which watched fields a chunk's records have, tested only until each was seen once.
import { describe, expect, it } from 'vitest';
import { BadRecord } from '../../../engine/contract/bad-record.js';
import { runChunk } from '../../../engine/execution/chunk-runner.js';
import { watchFields } from '../../../engine/execution/field-watch.js';
import type { WorkerPlan } from '../../../engine/execution/messages.js';
import { loadProgram } from '../../../engine/execution/program.js';
import { context, step, task } from './harness.js';

describe('watchFields', () => {
  it('tells which fields some record had, own fields only, a null value counting as present', () => {
    const watch = watchFields(['a', 'b', 'constructor', 'c']);
    watch.see({ a: 1 });
    watch.see(null);
    watch.see(Object.assign(Object.create({ b: 1 }), { c: null }));
    expect(watch.pending).toBe(true);
    expect(watch.seen()).toEqual(['a', 'c']);
  });

  it('stops pending once every field was seen', () => {
    const watch = watchFields(['a', 'b']);
    watch.see({ a: 1 });
    expect(watch.pending).toBe(true);
    watch.see({ b: 2, a: 3 });
    expect(watch.pending).toBe(false);
    expect(watch.seen()).toEqual(['a', 'b']);
  });

  it("counts a string's own length and an array's indices, as an expression reads them, and skips a bad record", () => {
    const watch = watchFields(['length', '0', 'x']);
    watch.see('abc');
    watch.see(new BadRecord({ code: 'RECORD_PARSE', message: 'no' }, 'raw x'));
    expect(watch.seen()).toEqual(['length', '0']);
    expect(watchFields([]).pending).toBe(false);
  });
});

describe('runChunk with watched fields', () => {
  it('returns the watched fields the source records had, and the same result and counters', async () => {
    const source = step('source', 'range', { end: 100 }, 'source');
    const map = [step('map', 'transform', { expr: '({ n: r })' }, 'map[0]')];
    const plain: WorkerPlan = { context, source, map, form: 'records', emit: true };
    const watched: WorkerPlan = { ...plain, watch: ['n', 'toFixed'] };
    const without = runChunk(await loadProgram(plain), plain, task);
    // The range's records are numbers: no field of their own, before the transform makes objects.
    expect(runChunk(await loadProgram(watched), watched, task)).toEqual({ ...without, seen: [] });
  });
});
