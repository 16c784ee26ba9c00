// What a failed chunk or a chunk past its attempts becomes: a FlowError that names the record's origin, as the
// source locates it on the main thread.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../engine/contract/errors.js';
import type { ResolvedStep } from '../../../engine/contract/plan.js';
import { chunkFailed, chunkFailure } from '../../../engine/execution/failure.js';
import type { ChunkResult } from '../../../engine/execution/messages.js';
import type { Chunk, SourceStep } from '../../../engine/contract/step.js';
import fileSource from '../../../steps/source-file/step.js';
import rangeSource from '../../../steps/source-range.js';

type ErrorResult = Extract<ChunkResult, { type: 'error' }>;

const resolved = (name: string, options: Record<string, unknown>): ResolvedStep => ({
  kind: 'source',
  name,
  module: `builtin:${name}`,
  options,
  path: 'source',
});
const range = { step: rangeSource, resolved: resolved('range', { end: 1000 }) };
const failed = (init: Partial<ErrorResult> = {}): ErrorResult => ({
  type: 'error',
  error: { code: 'STEP_FAILED', message: 'boom', step: 'map[0] (x)' },
  recordInChunk: 4,
  bug: false,
  index: 2,
  recordsIn: 4,
  recordsOut: 4,
  ...init,
});
const json = (error: FlowError) => ({ ...error.toJSON() });

/** The chunks of a real NDJSON file of 400 lines (line n holds {n}), cut into small byte ranges. */
async function ndjsonChunks(): Promise<{ chunks: Chunk[]; source: { step: SourceStep; resolved: ResolvedStep } }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-failure-'));
  writeFileSync(path.join(dir, 'data.ndjson'), Array.from({ length: 400 }, (_, i) => JSON.stringify({ n: i + 1 })).join('\n'));
  const options = { path: 'data.ndjson' };
  const plan = await fileSource.split(options, { pipelineDir: dir, chunking: { bytes: 1024 }, workers: 1, hints: {} });
  const chunks: Chunk[] = [];
  for await (const descriptor of plan.chunks) chunks.push({ ...descriptor, index: chunks.length });
  return { chunks, source: { step: fileSource, resolved: resolved('file', options) } };
}

/** The line of a chunk's first record, read from the record itself (line n holds {n}). */
function firstLine(chunk: Chunk): number {
  const [record] = fileSource.read(chunk as never, undefined) as Iterable<{ n: number }>;
  return record!.n;
}

describe('chunkFailure', () => {
  it('asks the source where the record came from: range knows its index', async () => {
    const chunk = { index: 2, data: { first: 100, count: 50 } };
    const error = await chunkFailure(failed(), chunk, range);
    expect(error).toBeInstanceOf(FlowError);
    expect(json(error)).toEqual({ code: 'STEP_FAILED', message: 'boom', step: 'map[0] (x)', record: { index: 104 } });
  });

  it('names the file and line of a record in any chunk of a file', async () => {
    const { chunks, source } = await ndjsonChunks();
    expect(chunks.length).toBeGreaterThan(3);
    const chunk = chunks[3]!;
    // The first line of chunk 3 holds {n: L}; the record 5 further is on line L + 5.
    const first = firstLine(chunk);
    const error = await chunkFailure(failed({ index: 3, recordInChunk: 5 }), chunk, source);
    expect(json(error)).toEqual({ code: 'STEP_FAILED', message: 'boom', step: 'map[0] (x)', record: { file: 'data.ndjson', line: first + 5 } });
    expect(first).toBeGreaterThan(1);
  });

  it('keeps a record line the worker already knew, without asking the source', async () => {
    const chunk = { index: 2, data: { first: 100, count: 50 } };
    const record = { file: 'x.csv', line: 9 };
    const error = await chunkFailure(failed({ error: { code: 'RECORD_PARSE', message: 'bad', hint: 'h', step: 'source (file)', record } }), chunk, range);
    expect(json(error)).toEqual({ code: 'RECORD_PARSE', message: 'bad', hint: 'h', step: 'source (file)', record });
    expect(error.exitCode).toBe(1);
  });

  it('a line the worker could not count (left undefined) is the one the source locates', async () => {
    const { chunks, source } = await ndjsonChunks();
    const chunk = chunks[2]!;
    const record = { file: 'data.ndjson', line: undefined };
    const error = await chunkFailure(failed({ index: 2, recordInChunk: 1, error: { code: 'RECORD_PARSE', message: 'bad', record } }), chunk, source);
    expect(json(error)).toEqual({ code: 'RECORD_PARSE', message: 'bad', record: { file: 'data.ndjson', line: firstLine(chunk) + 1 } });
  });

  it('falls back to the chunk and the record’s place in it when the source cannot locate', async () => {
    const chunk = { index: 6, data: null };
    const mute = { step: { ...rangeSource, locate: undefined } as SourceStep, resolved: range.resolved };
    expect(json(await chunkFailure(failed({ index: 6 }), chunk, mute))).toMatchObject({ record: { chunk: 6, index: 4 } });
    const throwing = {
      step: {
        ...rangeSource,
        locate: () => {
          throw new Error('lost');
        },
      } as SourceStep,
      resolved: range.resolved,
    };
    expect(json(await chunkFailure(failed({ index: 6 }), chunk, throwing))).toMatchObject({ record: { chunk: 6, index: 4 } });
    // Failed before reading any record (a step's setup): no record to name.
    const { recordInChunk: _, ...noPlace } = failed();
    expect(json(await chunkFailure(noPlace, chunk, range))).not.toHaveProperty('record');
  });

  it('keeps the worker’s stack for a step that threw, and only then', async () => {
    const chunk = { index: 2, data: { first: 0, count: 10 } };
    const stack = 'Error: boom\n    at map (file:///steps/x.mjs:3:11)';
    expect((await chunkFailure(failed({ stack }), chunk, range)).stack).toBe(stack);
    const bad = await chunkFailure(failed({ stack, error: { code: 'BAD_RECORD', message: 'boom' } }), chunk, range);
    expect(bad.stack).not.toBe(stack);
  });
});

describe('chunkFailed', () => {
  it("names the chunk, where its records come from, and each attempt's cause", async () => {
    const { chunks, source } = await ndjsonChunks();
    const chunk = chunks[2]!;
    const first = firstLine(chunk);
    const error = await chunkFailed(
      chunk,
      [
        { kind: 'died', reason: 'worker exited with code: 3' },
        { kind: 'timeout', ms: 600_000 },
        { kind: 'died', reason: 'Worker terminated due to reaching memory limit: JS heap out of memory' },
      ],
      source,
    );
    expect(json(error)).toEqual({
      code: 'CHUNK_FAILED',
      message:
        `chunk 2 (records from data.ndjson:${first} on) failed all 3 attempts: [1] its worker thread died: worker exited with code: 3; ` +
        '[2] it ran past chunk-timeout (10m) and its thread was ended; ' +
        '[3] its worker thread died: Worker terminated due to reaching memory limit: JS heap out of memory',
      hint:
        'a step called process.exit, ran out of memory or crashed its thread on these records; ' +
        'a step hangs on these records (or in its setup), or the chunk needs a longer retries.chunk-timeout (retries.attempts sets how often a chunk is tried)',
      record: { file: 'data.ndjson', line: first, chunk: 2 },
    });
    expect(error.exitCode).toBe(1);
  });

  it('names the plugin step a dead or ended thread was in (step-marker.ts), once when every attempt agrees', async () => {
    const { chunks, source } = await ndjsonChunks();
    const chunk = chunks[2]!;
    const maps = [{ kind: 'map', name: './steps/geo.mjs', module: 'file:///p/steps/geo.mjs', options: {}, path: 'map[0]' }, resolved('set', {})].map(
      (r, i) => ({ ...r, path: `map[${i}]` }),
    ) as ResolvedStep[];
    const same = await chunkFailed(
      chunk,
      [
        { kind: 'died', reason: 'worker exited with code: 3', step: 0 },
        { kind: 'died', reason: 'worker exited with code: 3', step: 0 },
      ],
      source,
      maps,
    );
    expect(same.step).toBe('map[0] (./steps/geo.mjs)');
    expect(same.message).toMatch(/failed all 2 attempts, each time: its worker thread died in the step: worker exited with code: 3$/);
    const mixed = await chunkFailed(
      chunk,
      [
        { kind: 'timeout', ms: 1000, step: 1 },
        { kind: 'died', reason: 'worker exited with code: 3' },
      ],
      source,
      maps,
    );
    expect(mixed.step).toBe('map[1] (set)');
    expect(mixed.message).toMatch(/\[1\] it ran past chunk-timeout \(1s\) in the step and its thread was ended; \[2\] its worker thread died: worker exited/);
  });

  it('names the step whose setup failed, with its own hint', async () => {
    const chunk = { index: 5, data: { first: 50, count: 10 } };
    const setup = { kind: 'setup' as const, error: { code: 'STEP_FAILED' as const, message: 'no key', step: 'map[0] (./k.mjs)', hint: 'set KEY' } };
    expect(json(await chunkFailed(chunk, [setup, setup], range))).toEqual({
      code: 'CHUNK_FAILED',
      message: 'chunk 5 failed all 2 attempts, each time: the step could not be loaded or set up: no key',
      hint: 'set KEY (retries.attempts sets how often a chunk is tried)',
      step: 'map[0] (./k.mjs)',
      record: { index: 50, chunk: 5 },
    });
  });

  it('says less when there is no source to ask', async () => {
    const chunk = { index: 5, data: { first: 50, count: 10 } };
    expect(json(await chunkFailed(chunk, [{ kind: 'timeout', ms: 1500 }]))).toEqual({
      code: 'CHUNK_FAILED',
      message: 'chunk 5 failed its only attempt: it ran past chunk-timeout (1.5s) and its thread was ended',
      hint: 'a step hangs on these records (or in its setup), or the chunk needs a longer retries.chunk-timeout (retries.attempts sets how often a chunk is tried)',
      record: { chunk: 5 },
    });
  });
});
