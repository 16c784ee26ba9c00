// The main thread's half of on-error: rejections located, counted against the budget and written to
// the dead-letter file, which appears on commit only.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OnError, Plan } from '../../../engine/contract/plan.js';
import type { Chunk, SourceStep } from '../../../engine/contract/step.js';
import type { Rejection } from '../../../engine/execution/messages.js';
import { openRejects } from '../../../engine/run/rejects.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-rejects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A source whose k-th record of chunk c is at line 100 * c + k + 1 of data.txt; none without locate. */
const located = { locate: (chunk: Chunk, k: number) => ({ file: 'data.txt', line: 100 * chunk.index + k + 1 }) } as unknown as SourceStep;
const blind = {} as SourceStep;

function plan(onError: OnError): Plan {
  return { pipelineDir: dir, source: { options: {} }, onError } as unknown as Plan;
}

const chunk = (index: number): Chunk => ({ index, data: null });
const thrown = (k: number): Rejection => ({ recordInChunk: k, step: 'map[0]', code: 'STEP_FAILED', message: `bad ${k}`, record: { k } });
const unread = (k: number, line: number): Rejection => ({
  recordInChunk: k,
  step: 'source',
  code: 'RECORD_PARSE',
  message: 'invalid JSON',
  raw: '{',
  file: 'x.ndjson',
  line,
});

describe('openRejects', () => {
  it('writes one line per rejection, in order, only on commit', async () => {
    const file = path.join(dir, 'out/dead.ndjson');
    const rejects = await openRejects(plan({ action: 'dead-letter', deadLetter: file }), located);
    await rejects.take([thrown(2), unread(5, 7)], chunk(0));
    await rejects.take([thrown(0)], chunk(3));
    expect(rejects.count).toBe(3);
    expect(existsSync(file)).toBe(false);
    await rejects.commit();
    expect(readFileSync(file, 'utf8').split('\n')).toEqual([
      '{"source":{"file":"data.txt","line":3},"step":"map[0]","code":"STEP_FAILED","message":"bad 2","record":{"k":2}}',
      '{"source":{"file":"x.ndjson","line":7},"step":"source","code":"RECORD_PARSE","message":"invalid JSON","raw":"{"}',
      '{"source":{"file":"data.txt","line":301},"step":"map[0]","code":"STEP_FAILED","message":"bad 0","record":{"k":0}}',
      '',
    ]);
  });

  it('a count budget fails as soon as it is passed, naming the first rejection; abort leaves no file', async () => {
    const file = path.join(dir, 'budget/dead.ndjson');
    const rejects = await openRejects(plan({ action: 'dead-letter', deadLetter: file, max: { count: 2 } }), located);
    await rejects.take([thrown(4), thrown(6)], chunk(1));
    const error = await rejects.take([thrown(1)], chunk(2)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERROR_BUDGET',
      message: '3 records rejected, more than on-error.max allows (2); the first: data.txt:105 (map[0]): bad 4',
      record: { file: 'data.txt', line: 105 },
    });
    await rejects.abort();
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('a share budget is checked at the end, or at once when the total is known; a record the source cannot place is named by chunk', async () => {
    const share = { action: 'skip' as const, max: { share: 0.01 } };
    const atEnd = await openRejects(plan(share), blind);
    await atEnd.take([thrown(0), thrown(9)], chunk(4));
    expect(() => atEnd.check(200)).not.toThrow();
    expect(() => atEnd.check(199)).toThrow(
      /^2 records rejected, more than on-error.max allows \(1% of 199 records read = 1.99\); the first: record 0 of chunk 4 \(map\[0\]\): bad 0$/,
    );
    const known = await openRejects(plan(share), blind, 150);
    await known.take([thrown(0)], chunk(0));
    await expect(known.take([thrown(1)], chunk(1))).rejects.toMatchObject({ code: 'ERROR_BUDGET', record: { chunk: 0, index: 0 } });
    // No budget at all: the first rejection fails.
    const none = await openRejects(plan({ action: 'skip', max: { count: 0 } }), blind);
    await expect(none.take([thrown(3)], chunk(0))).rejects.toThrow(/^1 record rejected, more than on-error.max allows \(0\)/);
  });
});
