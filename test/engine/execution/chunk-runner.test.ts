// One chunk through the source, the map steps and the reducer's add, with real built-in steps
// loaded into a program in the form the plan chose (records, numbers or columns, read or emit).
import { describe, expect, it } from 'vitest';
import { runChunk, runLoaded, setupFailed } from '../../../engine/execution/chunk-runner.js';
import { loadProgram } from '../../../engine/execution/program.js';
import type { WorkerPlan } from '../../../engine/execution/messages.js';
import { context, step, task } from './harness.js';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Chunk } from '../../../engine/contract/step.js';
import fileSource from '../../../steps/source-file/step.js';
import { tempDir, write } from '../../steps/source-file/readers/helpers.js';

const range = step('source', 'range', { end: 100 }, 'source');
/** A worker plan in the given form (resolve picks numbers when every step has a bulk form). */
const workerPlan = (steps: Omit<WorkerPlan, 'form' | 'emit'>, form: WorkerPlan['form'] = 'records'): WorkerPlan => ({ ...steps, form, emit: true });
const evenSquares = [step('map', 'filter', { where: 'r % 2 === 0' }, 'map[0]'), step('map', 'transform', { expr: 'r * r' }, 'map[1]')];

describe('runChunk', () => {
  it('returns the mapped records with counters when there is no reducer', async () => {
    const plan = workerPlan({ context, source: range, map: [step('map', 'transform', { expr: '({ n: r })' }, 'map[0]')] });
    const result = runChunk(await loadProgram(plan), plan, task);
    expect(result).toEqual({ type: 'records', records: Array.from({ length: 10 }, (_, i) => ({ n: 10 + i })), index: 3, recordsIn: 10, recordsOut: 10 });
  });

  it('maps a chunk of numbers in bulk, as one Float64Array, when every map step can', async () => {
    const plan = workerPlan({ context, source: range, map: evenSquares }, 'numbers');
    const result = runChunk(await loadProgram(plan), plan, task);
    // steps: the records each map step but the last handed on (the filter kept 5 of 10).
    expect(result).toEqual({ type: 'numbers', values: Float64Array.from([100, 144, 196, 256, 324]), index: 3, recordsIn: 10, recordsOut: 5, steps: [5] });
  });

  it('falls back to records, with the same result, when a bulk map meets a value that is not a number', async () => {
    const plan = workerPlan({ context, source: range, map: [step('map', 'transform', { expr: 'r < 15 ? r * 2 : "big"' }, 'map[0]')] }, 'numbers');
    expect(runChunk(await loadProgram(plan), plan, task)).toEqual({
      type: 'records',
      records: [20, 22, 24, 26, 28, 'big', 'big', 'big', 'big', 'big'],
      index: 3,
      recordsIn: 10,
      recordsOut: 10,
    });
  });

  it('hands out a copy of numbers with no map step, never the source’s own buffer', async () => {
    const random = step('source', 'random', { count: 100, seed: 7 }, 'source');
    const plan = workerPlan({ context, source: random, map: [] }, 'numbers');
    const rt = await loadProgram(plan);
    const first = runChunk(rt, plan, task) as { values: Float64Array };
    const copy = first.values.slice();
    runChunk(rt, plan, { chunk: { index: 4, data: { first: 50, count: 10 }, records: 10 } });
    expect(first.values).toEqual(copy);
  });

  it('returns the reducer’s partial accumulator, which finishes to the chunk’s result', async () => {
    const plan = workerPlan({ context, source: range, map: evenSquares, reduce: step('reduce', 'sum', {}, 'reduce') }, 'numbers');
    const program = await loadProgram(plan);
    const result = runChunk(program, plan, task);
    expect(result).toMatchObject({ type: 'partial', index: 3, recordsIn: 10, recordsOut: 5 });
    expect(program.reduce!.finish((result as { acc: unknown }).acc)).toBe(100 + 144 + 196 + 256 + 324);
    // The program is loaded once and serves every chunk.
    const next = runChunk(program, plan, { chunk: { index: 4, data: { first: 20, count: 3 } } });
    expect(next).toMatchObject({ type: 'partial', index: 4, recordsIn: 3, recordsOut: 2 });
    expect(program.reduce!.finish((next as { acc: unknown }).acc)).toBe(400 + 484);
  });

  it('applies the map steps in pipeline order, and a flat-map fans records out', async () => {
    const map = [
      step('map', 'transform', { expr: 'r + 1' }, 'map[0]'),
      step('map', 'transform', { expr: 'r * 2' }, 'map[1]'),
      step('map', 'flat-map', { expr: '[r, -r]' }, 'map[2]'),
    ];
    const plan = workerPlan({ context, source: range, map, reduce: step('reduce', 'collect', {}, 'reduce') });
    const rt = await loadProgram(plan);
    const result = runChunk(rt, plan, { chunk: { index: 0, data: { first: 0, count: 3 } } });
    expect(result).toEqual({ type: 'partial', acc: [2, -2, 4, -4, 6, -6], index: 0, recordsIn: 3, recordsOut: 6, steps: [3, 3] });
  });

  it('reports a throwing map step with its path, the record’s place in the chunk and the stack', async () => {
    const map = [evenSquares[0]!, step('map', 'throw-at.mjs', { at: 14 }, 'map[1]')];
    const plan = workerPlan({ context, source: range, map, reduce: step('reduce', 'count', {}, 'reduce') });
    const result = runChunk(await loadProgram(plan), plan, task);
    expect(result).toEqual({
      type: 'error',
      error: { code: 'STEP_FAILED', message: 'cannot handle record 14', step: 'map[1] (throw-at.mjs)' },
      // 10 to 13 went through; 14 is the fifth record of the chunk.
      recordInChunk: 4,
      stack: expect.stringMatching(/^Error: cannot handle record 14\n\s+at /),
      bug: false,
      index: 3,
      recordsIn: 4,
      recordsOut: 2,
      // The records through before the failing one: the filter kept 10 and 12 of 10 to 13.
      steps: [2],
    });
  });

  it('counts the records each map step hands on, in the records and the numbers form alike', async () => {
    const map = [
      step('map', 'filter', { where: 'r % 3 !== 0' }, 'map[0]'),
      step('map', 'flat-map', { expr: '[r, r]' }, 'map[1]'),
      step('map', 'filter', { where: 'r % 2 === 0' }, 'map[2]'),
      step('map', 'transform', { expr: 'r * 2' }, 'map[3]'),
    ];
    const plan = workerPlan({ context, source: range, map });
    // 10..19: 12, 15 and 18 dropped (7 left), doubled (14), the even ones kept (10, 14, 16: 6), all through.
    expect(runChunk(await loadProgram(plan), plan, task)).toMatchObject({ recordsIn: 10, recordsOut: 6, steps: [7, 14, 6] });
    const numbers = workerPlan({ context, source: range, map: [...evenSquares, step('map', 'filter', { where: 'r > 150' }, 'map[2]')] }, 'numbers');
    expect(runChunk(await loadProgram(numbers), numbers, task)).toMatchObject({ type: 'numbers', recordsIn: 10, recordsOut: 3, steps: [5, 5] });
  });

  it('reports an expression failing at run time, and a thrown non-Error, as STEP_FAILED without a stack', async () => {
    const failing = step('map', 'transform', { expr: 'r < 12 ? r : r.name.toUpperCase()' }, 'map[0]');
    const plan = workerPlan({ context, source: range, map: [failing] });
    expect(runChunk(await loadProgram(plan), plan, task)).toMatchObject({
      type: 'error',
      error: { code: 'STEP_FAILED', message: "Cannot read properties of undefined (reading 'toUpperCase')", step: 'map[0] (transform)' },
      recordInChunk: 2,
      recordsIn: 2,
      recordsOut: 0,
    });
    const plain = workerPlan({ context, source: range, map: [step('map', 'throw-at.mjs', { at: 11, plain: true }, 'map[0]')] });
    expect(runChunk(await loadProgram(plain), plain, task)).toEqual({
      type: 'error',
      error: { code: 'STEP_FAILED', message: 'record 11 is cursed', step: 'map[0] (throw-at.mjs)' },
      recordInChunk: 1,
      bug: false,
      index: 3,
      recordsIn: 1,
      recordsOut: 0,
    });
  });

  it('blames the source when reading fails', async () => {
    const source = step('source', 'broken-source.mjs', { good: 3 }, 'source');
    const plan = workerPlan({ context, source, map: [], reduce: step('reduce', 'count', {}, 'reduce') });
    expect(runChunk(await loadProgram(plan), plan, { chunk: { index: 7, data: 0 } })).toMatchObject({
      type: 'error',
      error: { code: 'STEP_FAILED', message: 'the disk ate chunk 7', step: 'source (broken-source.mjs)' },
      recordInChunk: 3,
      stack: expect.stringMatching(/^RangeError: the disk ate chunk 7/),
      index: 7,
      recordsIn: 3,
      recordsOut: 3,
    });
  });

  it('keeps a FlowError’s code, hint and own step; a reducer’s failure names the reduce step', async () => {
    const plan = workerPlan({ context, source: range, map: [], reduce: step('reduce', 'picky-sum.mjs', {}, 'reduce') });
    const program = await loadProgram(plan);
    expect(runChunk(program, plan, task)).toEqual({
      type: 'error',
      error: { code: 'BAD_RECORD', message: 'sum: 12 is unlucky', hint: 'filter it out', step: 'reduce (picky-sum.mjs)' },
      recordInChunk: 2,
      bug: false,
      index: 3,
      recordsIn: 2,
      recordsOut: 2,
    });
    const later = runChunk(program, plan, { chunk: { index: 0, data: { first: 13, count: 2 } } });
    expect(later).toMatchObject({ type: 'error', error: { code: 'BAD_RECORD', message: 'thirteen', step: 'map[9] (elsewhere)' }, recordInChunk: 0 });
  });
});

describe('runLoaded', () => {
  const prepared = step('source', 'prepared-source.mjs', {}, 'source');

  it('reads the chunk the source prepared, in the form the plan chose (emit: fast.each; else read)', async () => {
    for (const [emit, records] of [
      [true, ['A', 'B', 'C']],
      [false, ['a', 'b', 'c']],
    ] as const) {
      const plan: WorkerPlan = { context, source: prepared, map: [], form: 'records', emit };
      const result = await runLoaded(loadProgram(plan), plan, { chunk: { index: 2, data: { name: 'abc' } } });
      expect(result).toEqual({ type: 'records', records, index: 2, recordsIn: 3, recordsOut: 3 });
    }
  });

  it('a chunk its source cannot prepare is that chunk’s error, naming the source (not a setup failure: never retried)', async () => {
    const plan = workerPlan({ context, source: prepared, map: [] });
    const result = await runLoaded(loadProgram(plan), plan, { chunk: { index: 5, data: { name: 'missing' } } });
    expect(result).toEqual({
      type: 'error',
      error: { code: 'STEP_FAILED', message: 'no such chunk: missing', step: 'source (prepared-source.mjs)' },
      stack: expect.stringContaining('no such chunk: missing'),
      bug: false,
      index: 5,
      recordsIn: 0,
      recordsOut: 0,
    });
  });
});

describe('loadProgram', () => {
  it('sets every step up once, with its options and the plan’s context', async () => {
    const plan = workerPlan({
      context,
      source: range,
      map: [step('map', 'select', { fields: ['b', 'a'] }, 'map[0]')],
      reduce: step('reduce', 'top', { n: 2, by: 'a' }, 'reduce'),
    });
    const program = await loadProgram(plan);
    const read: unknown[] = [];
    program.read({ index: 0, data: { first: 5, count: 3 } }, (record) => read.push(record));
    expect(read).toEqual([5, 6, 7]);
    expect(program.reduce!.finish(program.reduce!.add(program.reduce!.init(), { a: 3 }))).toEqual([{ a: 3 }]);
    const out: unknown[] = [];
    const feed = program.pipe((record) => out.push(record));
    feed({ a: 1, b: 2, c: 3 });
    feed({ c: 3 });
    expect(out).toEqual([
      { b: 2, a: 1 },
      { b: null, a: null },
    ]);
    expect(Object.keys(out[0] as object)).toEqual(['b', 'a']);
  });

  it('a step module that cannot be imported fails every chunk, naming the step', async () => {
    const plan = workerPlan({ context, source: range, map: [step('map', 'no-such-step.mjs', {}, 'map[0]')] });
    const thrown = await loadProgram(plan).catch((e: unknown) => e);
    expect(setupFailed(thrown, plan, { chunk: { index: 4, data: { first: 0, count: 1 } } })).toMatchObject({
      type: 'error',
      error: { code: 'STEP_FAILED', message: expect.stringContaining('no-such-step.mjs'), step: 'map[0] (no-such-step.mjs)' },
      index: 4,
      recordsIn: 0,
      recordsOut: 0,
    });
  });
});

describe('the numbers form', () => {
  it('a range chunk goes to sum as one Float64Array, with the same partial and counters as record by record', async () => {
    const steps = { context, source: range, map: evenSquares, reduce: step('reduce', 'sum', {}, 'reduce') };
    const bulk = await loadProgram(workerPlan(steps, 'numbers'));
    const oneByOne = await loadProgram(workerPlan(steps, 'records'));
    expect(bulk.numbers).toBeDefined();
    expect(oneByOne.numbers).toBeUndefined();
    const inBulk = runChunk(bulk, workerPlan(steps, 'numbers'), task);
    expect(inBulk).toEqual(runChunk(oneByOne, workerPlan(steps, 'records'), task));
    expect(inBulk).toMatchObject({ type: 'partial', recordsIn: 10, recordsOut: 5 });
  });

  it('reads through the source’s callback or its iterator alike', async () => {
    const steps = { context, source: range, map: [] };
    const viaEmit = await loadProgram({ ...steps, form: 'records', emit: true });
    const viaRead = await loadProgram({ ...steps, form: 'records', emit: false });
    expect(runChunk(viaEmit, { ...steps, form: 'records', emit: true }, task)).toEqual(runChunk(viaRead, { ...steps, form: 'records', emit: false }, task));
  });
});

describe('the columns form', () => {
  const dir = tempDir();
  const rows = Array.from({ length: 50 }, (_, i) => ({ k: i % 7 === 0 ? null : `k${i % 3}`, v: i % 5 === 0 ? null : BigInt(i - 20), s: `s${i % 4}` }));
  write(
    dir,
    'g.parquet',
    Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: 'k', data: rows.map((r) => r.k), type: 'STRING', encoding: 'RLE_DICTIONARY' },
          { name: 'v', data: rows.map((r) => r.v), type: 'INT64', encoding: 'RLE_DICTIONARY' },
          { name: 's', data: rows.map((r) => r.s), type: 'STRING' },
        ],
      }),
    ),
  );
  write(dir, 'g.ndjson', rows.map((r) => JSON.stringify({ ...r, v: r.v === null ? null : Number(r.v) })).join('\n'));
  const steps = (file: string, aggregate: Record<string, unknown>) => ({
    context: { pipelineDir: dir },
    source: step('source', 'file', { path: file }, 'source'),
    map: [],
    reduce: step('reduce', 'group', { by: 'k', aggregate }, 'reduce'),
  });
  const chunkOf = async (file: string) => {
    const split = await fileSource.split({ path: file }, { pipelineDir: dir, chunking: {}, workers: 1, hints: { reduced: true } });
    return { chunk: { ...[...(split.chunks as Iterable<Omit<Chunk, 'index'>>)][0]!, index: 0 } };
  };
  const both = async (file: string, aggregate: Record<string, unknown>) => {
    const columns = workerPlan(steps(file, aggregate), 'columns');
    const records = workerPlan(steps(file, aggregate), 'records');
    const [program, slow] = [await loadProgram(columns), await loadProgram(records)];
    expect(program.columns).toBeDefined();
    expect(slow.columns).toBeUndefined();
    const t = await chunkOf(file);
    return { columns: runChunk(program, columns, t), records: runChunk(slow, records, t), program, t };
  };

  it('a Parquet chunk goes from its columns to group, with the same partial and counters as record by record', async () => {
    const { columns, records, program, t } = await both('g.parquet', { n: 'count', m: { mean: 'v' }, hi: { max: 'v' } });
    expect(columns).toEqual(records);
    // The columns themselves gave it: no throw sent the chunk record by record.
    const batch = program.columns!.read(t.chunk)!;
    expect(program.columns!.add(program.reduce!.init(), batch)).toEqual((columns as { acc: unknown }).acc);
    expect(columns).toMatchObject({ type: 'partial', recordsIn: 50, recordsOut: 50 });
    expect([...(columns as { acc: Map<unknown, unknown> }).acc.keys()]).toEqual([null, 'k1', 'k2', 'k0']);
  });

  it('a value group cannot add fails as record by record does, naming the record', async () => {
    const { columns, records } = await both('g.parquet', { m: { mean: 's' } });
    expect(columns).toEqual(records);
    expect(columns).toMatchObject({ type: 'error', error: { code: 'BAD_RECORD', step: 'reduce (group)' }, recordInChunk: 0 });
  });

  it('a chunk the source cannot give as columns (NDJSON) goes record by record', async () => {
    const { columns, records } = await both('g.ndjson', { n: 'count', m: { mean: 'v' } });
    expect(columns).toEqual(records);
    expect(columns).toMatchObject({ type: 'partial', recordsIn: 50 });
  });
});
