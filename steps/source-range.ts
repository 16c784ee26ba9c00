// The `range` source: the numbers start, start+step, ... before end, like Python's range().
import { defineStep, type ChunkingOptions } from '../engine/contract/step.js';
import { slices, type Slice } from './kit/slices.js';

export interface RangeOptions {
  start?: number;
  end: number;
  step?: number;
}

const SAFE = Number.MAX_SAFE_INTEGER;

/** How many numbers the range holds (Python's len(range(...))). */
export function rangeLength(start: number, end: number, step: number): number {
  return step > 0 ? Math.max(0, Math.ceil((end - start) / step)) : Math.max(0, Math.ceil((start - end) / -step));
}

/** Records per chunk: `chunking.records`, else about eight chunks per worker, 10k to 1M numbers. */
export function sliceSize(n: number, chunking: ChunkingOptions, workers: number): number {
  if (chunking.records !== undefined) return Math.max(1, Math.floor(chunking.records));
  if (chunking.bytes !== undefined) return Math.max(1, Math.floor(chunking.bytes / 8)); // a number is 8 bytes
  return Math.min(1_000_000, Math.max(10_000, Math.ceil(n / (Math.max(1, workers || 1) * 8))));
}

const integer = (description: string, extra: object = {}) => ({ type: 'integer', minimum: -SAFE, maximum: SAFE, description, ...extra });

export default defineStep<RangeOptions, { start: number; step: number }, Slice>({
  kind: 'source',
  name: 'range',
  summary: "The numbers start, start+step, ... before end (Python's range); step may be negative.",
  options: {
    type: 'object',
    properties: {
      start: integer('First number.', { default: 0 }),
      end: integer('Where the range stops; not included.'),
      step: integer('Difference between consecutive numbers; not 0, negative to count down.', { default: 1, not: { const: 0 } }),
    },
    required: ['end'],
    additionalProperties: false,
  },
  examples: [
    { title: 'The numbers 0 to 999', yaml: 'step: range\nwith: { end: 1000 }' },
    { title: 'Counting down by twos', yaml: 'step: range\nwith: { start: 10, end: 0, step: -2 }' },
  ],
  check({ start = 0, end, step = 1 }) {
    if (step === 0) return [{ path: 'step', message: 'step must not be 0', code: 'INVALID_VALUE' }];
    if (!Number.isSafeInteger(end - start)) {
      return [{ path: 'end', message: 'the range is too long: end - start must stay below 2^53', code: 'INVALID_VALUE' }];
    }
    return [];
  },
  split({ start = 0, end, step = 1 }, ctx) {
    const n = rangeLength(start, end, step);
    const size = sliceSize(n, ctx.chunking, ctx.workers);
    return { chunks: slices(n, size), total: { chunks: Math.ceil(n / size), records: n } };
  },
  setup: ({ start = 0, step = 1 }) => ({ start, step }),
  // A Float64Array is an iterable of numbers: the same array serves both forms.
  read: (chunk, state) => rangeNumbers(chunk.data, state),
  locate: ({ data }, k) => ({ index: data.first + k }),
  fast: { numbers: (chunk, state) => rangeNumbers(chunk.data, state) },
});

function rangeNumbers({ first, count }: Slice, { start, step }: { start: number; step: number }): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = start + (first + i) * step;
  return out;
}
