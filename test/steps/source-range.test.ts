import { describe, expect, it } from 'vitest';
import rangeSource, { rangeLength, sliceSize } from '../../steps/source-range.js';
import { runSource } from './source-file/readers/helpers.js';
import { checkDefinition, validator } from './source-file/readers/step-definition.js';

const ctx = { pipelineDir: '/tmp' };
const records = async (options: object, chunking = {}, workers = 2) => (await runSource(rangeSource, options, { ...ctx, chunking, workers })).records;

/** Python's range, written the obvious way. */
function python(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let x = start; step > 0 ? x < end : x > end; x += step) out.push(x);
  return out;
}

describe('the range step', () => {
  it('is a described source step; step 0, fractions and unsafe integers are invalid', () => {
    checkDefinition(rangeSource, 'range');
    const valid = validator(rangeSource);
    expect(valid({ end: 10, step: 0 })).toBe(false);
    expect(valid({ end: 1.5 })).toBe(false);
    expect(valid({ end: 2 ** 53 })).toBe(false);
    expect(valid({})).toBe(false);
    const options = { end: 3 };
    expect(valid(options)).toBe(true);
    expect(options).toEqual({ start: 0, end: 3, step: 1 });
    expect(rangeSource.check!({ start: -(2 ** 52), end: 2 ** 52 + 1 })).toEqual([
      { path: 'end', message: 'the range is too long: end - start must stay below 2^53', code: 'INVALID_VALUE' },
    ]);
    expect(rangeSource.check!({ end: 5, step: 0 })[0]?.path).toBe('step');
  });

  it("follows Python's range for every sign of step and every order of start and end", async () => {
    for (const [start, end, step] of [
      [0, 10, 1],
      [0, 10, 3],
      [10, 0, -1],
      [10, -1, -3],
      [5, 5, 1],
      [5, 2, 1],
      [2, 5, -1],
      [-4, 4, 2],
      [0, 1, 1000],
    ]) {
      expect(await records({ start, end, step }, { records: 2 })).toEqual(python(start!, end!, step!));
      expect(rangeLength(start!, end!, step!)).toBe(python(start!, end!, step!).length);
    }
    expect(await records({ end: 4 })).toEqual([0, 1, 2, 3]);
  });

  it('the same numbers whatever the chunking; chunks are index slices', async () => {
    const expected = python(7, 100_007, 3);
    for (const chunking of [{}, { records: 1 }, { records: 999 }, { bytes: 4096 }]) {
      expect(await records({ start: 7, end: 100_007, step: 3 }, chunking)).toEqual(expected);
    }
    const { chunks, total } = await runSource(rangeSource, { end: 25 }, { ...ctx, chunking: { records: 10 } });
    expect(chunks.map((c) => c.data)).toEqual([
      { first: 0, count: 10 },
      { first: 10, count: 10 },
      { first: 20, count: 5 },
    ]);
    expect(total).toEqual({ chunks: 3, records: 25 });
    expect(rangeSource.locate!(chunks[2]!, 3, { end: 25 })).toEqual({ index: 23 });
  });

  it('an empty range has no chunks', async () => {
    const { chunks, total } = await runSource(rangeSource, { start: 3, end: 1 }, { ...ctx, chunking: {} });
    expect(chunks).toEqual([]);
    expect(total).toEqual({ chunks: 0, records: 0 });
  });

  it('the default chunk size: eight chunks per worker, between 10k and 1M numbers', () => {
    expect(sliceSize(100, {}, 4)).toBe(10_000);
    expect(sliceSize(64_000_000, {}, 4)).toBe(1_000_000);
    expect(sliceSize(3_200_000, {}, 4)).toBe(100_000);
  });

  it('reaches the edge of exact integers', async () => {
    const top = Number.MAX_SAFE_INTEGER;
    expect(await records({ start: top - 3, end: top })).toEqual([top - 3, top - 2, top - 1]);
    expect(await records({ start: -top, end: -top, step: -1 })).toEqual([]);
    expect(await records({ start: -top + 2, end: -top, step: -1 })).toEqual([-top + 2, -top + 1]);
  });
});
