// The slots that carry a stream chunk's bytes to its thread (pool/shared-text.ts).
import { describe, expect, it } from 'vitest';
import { sharedTexts } from '../../../../engine/execution/pool/shared-text.js';
import type { ChunkTask } from '../../../../engine/execution/messages.js';
import { streamChunk } from '../../../helpers/stream-chunk.js';

const task = (text: string, index = 0): ChunkTask => ({ chunk: streamChunk(index, text, 7) });
const shipped = (t: ChunkTask) => t.chunk.data as { bytes: SharedArrayBuffer; end: number; line: number; name: string };

describe('sharedTexts', () => {
  it("copies a chunk's bytes into a shared slot; the rest of the chunk as it was", () => {
    const texts = sharedTexts();
    const { task: out } = texts.ship(task('{"a":1}\n{"a":2}\n', 3));
    const data = shipped(out);
    expect(data.bytes).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(data.bytes, 0, data.end).toString('latin1')).toBe('{"a":1}\n{"a":2}\n');
    expect(data).toMatchObject({ end: 16, line: 7, name: '<stdin>' });
    expect(out.chunk.index).toBe(3);
  });

  it('gives a slot back when its attempt ends, and reuses it for a chunk that fits; never two chunks in one slot', () => {
    const texts = sharedTexts();
    const a = texts.ship(task('x'.repeat(1000)));
    const b = texts.ship(task('y'.repeat(1000)));
    expect(shipped(b.task).bytes).not.toBe(shipped(a.task).bytes);
    a.release();
    a.release();
    const c = texts.ship(task('z'.repeat(900)));
    expect(shipped(c.task).bytes).toBe(shipped(a.task).bytes);
    expect(Buffer.from(shipped(b.task).bytes, 0, 1000).toString()).toBe('y'.repeat(1000));
    // Too long for the free slot: a new one.
    b.release();
    const d = texts.ship(task('w'.repeat(5_000_000)));
    expect(shipped(d.task).bytes).not.toBe(shipped(b.task).bytes);
  });

  it('leaves a chunk without bytes (a byte range of a file) as it is', () => {
    const plain: ChunkTask = { chunk: { index: 0, data: { format: 'ndjson', file: '/x', name: 'x', start: 0, end: 100 } } };
    expect(sharedTexts().ship(plain).task).toBe(plain);
  });
});
