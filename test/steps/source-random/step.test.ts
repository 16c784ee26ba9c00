import { describe, expect, it } from 'vitest';
import { randomAt } from '../../../steps/source-random/random.js';
import randomSource from '../../../steps/source-random/step.js';
import { runSource } from '../source-file/readers/helpers.js';
import { checkDefinition, validator } from '../source-file/readers/step-definition.js';

const run = (options: object, chunking = {}, workers = 2) => runSource(randomSource, options, { pipelineDir: '/tmp', chunking, workers });

describe('the random step', () => {
  it('is a described source step', () => {
    checkDefinition(randomSource, 'random');
    const valid = validator(randomSource);
    expect(valid({ count: -1 })).toBe(false);
    expect(valid({ count: 1, seed: 0.5 })).toBe(false);
    const options = { count: 5 };
    expect(valid(options)).toBe(true);
    expect(options).toEqual({ count: 5, seed: 0 });
  });

  it('the same seed gives the same numbers whatever the chunking and worker count', async () => {
    const reference = (await run({ count: 20_000, seed: 9 })).records;
    expect(reference).toHaveLength(20_000);
    for (const [chunking, workers] of [
      [{ records: 1 }, 1],
      [{ records: 777 }, 8],
      [{ bytes: 8000 }, 3],
    ] as const) {
      expect((await run({ count: 20_000, seed: 9 }, chunking, workers)).records).toEqual(reference);
    }
    expect(reference.slice(12_345, 12_348)).toEqual([12_345, 12_346, 12_347].map((i) => randomAt(9, i)));
  });

  it('different seeds differ; the default seed is 0', async () => {
    const a = (await run({ count: 1000 })).records;
    expect(a).toEqual((await run({ count: 1000, seed: 0 })).records);
    const b = (await run({ count: 1000, seed: 1 })).records;
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it('a million numbers a chunk by default; locate gives the index', async () => {
    const plan = await randomSource.split({ count: 2_500_001 }, { pipelineDir: '/tmp', chunking: {}, workers: 4, hints: {} });
    const chunks = [...(plan.chunks as Iterable<any>)];
    expect(chunks.map((c) => c.data)).toEqual([
      { first: 0, count: 1e6 },
      { first: 1e6, count: 1e6 },
      { first: 2e6, count: 500_001 },
    ]);
    expect(plan.total).toEqual({ chunks: 3, records: 2_500_001 });
    expect(randomSource.locate!({ index: 2, ...chunks[2] }, 4, { count: 2_500_001 })).toEqual({ index: 2_000_004 });
    expect((await run({ count: 0 })).chunks).toEqual([]);
  });
});
