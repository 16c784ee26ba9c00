// The `random` source: `count` uniform floats in [0, 1), a function of (seed, index) alone.
import { fill } from './random.js';
import { defineStep } from '../../engine/contract/step.js';
import { slices, type Slice } from '../kit/slices.js';

export interface RandomOptions {
  count: number;
  seed?: number;
}

export default defineStep<RandomOptions, { seed: number; buffer: Float64Array }, Slice>({
  kind: 'source',
  name: 'random',
  summary: 'count uniform floats in [0, 1); the same seed gives the same numbers whatever the chunking and workers.',
  description:
    'The i-th number is splitmix64 of (seed, i), a counter-based generator: chunks are generated ' +
    'independently, in parallel, and still give the one sequence of the seed.',
  options: {
    type: 'object',
    properties: {
      count: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'How many numbers.' },
      seed: {
        type: 'integer',
        default: 0,
        minimum: -Number.MAX_SAFE_INTEGER,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'Chooses the sequence; the same seed always gives the same numbers.',
      },
    },
    required: ['count'],
    additionalProperties: false,
  },
  examples: [
    { title: 'A million numbers', yaml: 'step: random\nwith: { count: 1000000 }' },
    { title: 'Another sequence', yaml: 'step: random\nwith: { count: 1000, seed: 7 }' },
  ],
  split({ count }, { chunking }) {
    // A chunk of a million numbers takes a few milliseconds to make.
    const size = Math.max(1, Math.floor(chunking.records ?? (chunking.bytes !== undefined ? chunking.bytes / 8 : 1_000_000)));
    return { chunks: slices(count, size), total: { chunks: Math.ceil(count / size), records: count } };
  },
  // In bulk, one buffer per worker, refilled for each chunk: the engine consumes a chunk's numbers
  // before it asks for the next, and memory then stays flat however many chunks there are.
  setup: ({ seed = 0 }) => ({ seed, buffer: new Float64Array(0) }),
  // A fresh array per chunk: a reader of records may keep them.
  read: ({ data: { first, count } }, state) => fill(new Float64Array(count), state.seed, first),
  locate: ({ data }, k) => ({ index: data.first + k }),
  fast: {
    numbers({ data: { first, count } }, state) {
      if (state.buffer.length < count) state.buffer = new Float64Array(count);
      return fill(state.buffer.subarray(0, count), state.seed, first);
    },
  },
});
