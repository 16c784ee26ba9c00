// on-error skip and dead-letter in the worker: one chunk through real built-in steps (and the unit
// fixture steps), with the records the source cannot read and those a map step throws on set aside.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChunk } from '../../../engine/execution/chunk-runner.js';
import { loadProgram } from '../../../engine/execution/program.js';
import type { WorkerPlan } from '../../../engine/execution/messages.js';
import { context, step, task } from './harness.js';

const range = step('source', 'range', { end: 100 }, 'source');
type Steps = Omit<WorkerPlan, 'form' | 'emit' | 'onError'>;
const plan = (steps: Steps, onError: WorkerPlan['onError'], form: WorkerPlan['form'] = 'records'): WorkerPlan => ({ ...steps, form, emit: true, onError });
const run = async (p: WorkerPlan, t: Parameters<typeof runChunk>[2] = task) => runChunk(await loadProgram(p), p, t);

describe('a map step’s throw', () => {
  const steps = { context, source: range, map: [step('map', 'transform', { expr: 'r + 0' }, 'map[0]'), step('map', 'throw-at.mjs', { at: 14 }, 'map[1]')] };

  it('fails the chunk with on-error fail, as before', async () => {
    expect(await run(plan(steps, 'fail'))).toMatchObject({ type: 'error', recordInChunk: 4 });
  });

  it('with skip: the record is left out, the chunk goes on, the rejection says where and why (no record)', async () => {
    expect(await run(plan(steps, 'skip'))).toEqual({
      type: 'records',
      records: [10, 11, 12, 13, 15, 16, 17, 18, 19],
      index: 3,
      recordsIn: 10,
      recordsOut: 9,
      rejected: [{ recordInChunk: 4, step: 'map[1]', code: 'STEP_FAILED', message: 'cannot handle record 14' }],
      steps: [10],
    });
  });

  it('with dead-letter: the rejection carries the record as read', async () => {
    const result = await run(plan({ ...steps, reduce: step('reduce', 'sum', {}, 'reduce') }, 'dead-letter'));
    expect(result).toMatchObject({
      type: 'partial',
      recordsIn: 10,
      recordsOut: 9,
      rejected: [{ recordInChunk: 4, step: 'map[1]', code: 'STEP_FAILED', message: 'cannot handle record 14', record: 14 }],
    });
  });

  it('a rejected record contributes nothing, even the outputs a flat-map handed on before a later step threw', async () => {
    const fanning = {
      context,
      source: range,
      map: [step('map', 'flat-map', { expr: '[r, r + 100]' }, 'map[0]'), step('map', 'throw-at.mjs', { at: 114 }, 'map[1]')],
      reduce: step('reduce', 'collect', {}, 'reduce'),
    };
    const result = await run(plan(fanning, 'skip'));
    const kept = [10, 11, 12, 13, 15, 16, 17, 18, 19].flatMap((r) => [r, r + 100]);
    expect(result).toEqual({
      type: 'partial',
      acc: kept,
      index: 3,
      recordsIn: 10,
      recordsOut: 18,
      rejected: [{ recordInChunk: 4, step: 'map[1]', code: 'STEP_FAILED', message: 'cannot handle record 114' }],
      // The flat-map handed on 20, the two of record 14 among them.
      steps: [20],
    });
  });

  it('a FlowError keeps its code', async () => {
    const set = { context, source: range, map: [step('map', 'set', { fields: { x: '1' } }, 'map[0]')] };
    const result = await run(plan(set, 'skip'));
    expect(result).toMatchObject({ recordsOut: 0, rejected: expect.arrayContaining([expect.objectContaining({ code: 'BAD_RECORD', step: 'map[0]' })]) });
  });

  it('a reducer’s throw still fails the chunk', async () => {
    const picky = { context, source: range, map: [], reduce: step('reduce', 'picky-sum.mjs', {}, 'reduce') };
    expect(await run(plan(picky, 'skip'))).toMatchObject({ type: 'error', error: { code: 'BAD_RECORD', step: 'reduce (picky-sum.mjs)' } });
  });

  it('a chunk in the numbers form whose bulk map throws goes record by record, rejecting only the failing records', async () => {
    const failing = { context, source: range, map: [step('map', 'transform', { expr: 'r < 14 ? r * 2 : r.name.toUpperCase()' }, 'map[0]')] };
    const result = await run(plan(failing, 'skip', 'numbers'));
    expect(result).toMatchObject({ type: 'records', records: [20, 22, 24, 26], recordsIn: 10, recordsOut: 4 });
    expect((result as { rejected: unknown[] }).rejected.map((r) => (r as { recordInChunk: number }).recordInChunk)).toEqual([4, 5, 6, 7, 8, 9]);
  });
});

describe('a record the source cannot read', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-rejecting-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'x.ndjson');
  const text = '{"n":1}\n{"n":\n\n{"n":3}\n';
  writeFileSync(file, text);
  const source = step('source', 'file', { path: file }, 'source');
  const chunk = (rejects: boolean) => ({
    chunk: { index: 0, data: { format: 'ndjson', file, name: 'x.ndjson', start: 0, end: text.length, ...(rejects ? { rejects } : {}) } },
  });
  const steps = { context, source, map: [step('map', 'transform', { expr: 'r.n' }, 'map[0]')] };

  it('is a BadRecord in the chunk when the engine asks for them: rejected with its line and text, counted as read', async () => {
    expect(await run(plan(steps, 'dead-letter'), chunk(true))).toEqual({
      type: 'records',
      records: [1, 3],
      index: 0,
      recordsIn: 3,
      recordsOut: 2,
      rejected: [
        {
          recordInChunk: 1,
          step: 'source',
          code: 'RECORD_PARSE',
          message: 'invalid JSON: Unexpected end of JSON input',
          raw: '{"n":',
          file: 'x.ndjson',
          line: 2,
        },
      ],
    });
    // skip keeps no text.
    expect(await run(plan(steps, 'skip'), chunk(true))).toMatchObject({ rejected: [expect.not.objectContaining({ raw: expect.anything() })] });
  });

  it('a record a step changed in place before a later step threw is dead-lettered as it was read', async () => {
    const mutating = {
      context,
      source,
      map: [step('map', 'set', { fields: { n: 'r.n * 100' } }, 'map[0]'), step('map', 'transform', { expr: 'r.n === 300 ? r.x.y : r.n' }, 'map[1]')],
    };
    expect(await run(plan(mutating, 'dead-letter'), chunk(true))).toMatchObject({
      records: [100],
      rejected: [
        { recordInChunk: 1, step: 'source' },
        { recordInChunk: 2, step: 'map[1]', record: { n: 3 } },
      ],
    });
  });

  it('fails the chunk when the engine did not ask', async () => {
    expect(await run(plan(steps, 'fail'), chunk(false))).toMatchObject({
      type: 'error',
      error: { code: 'RECORD_PARSE', record: { file: 'x.ndjson', line: 2 } },
    });
  });
});
