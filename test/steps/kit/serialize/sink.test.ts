import { describe, expect, it } from 'vitest';
import { createEncoder, encodingSink, type TextTarget } from '../../../../steps/kit/serialize/index.js';
import { writeRecords } from '../../../../steps/kit/serialize/sink.js';

function target(closeAfter = Infinity) {
  const writes: string[] = [];
  const calls: string[] = [];
  const t: TextTarget & { closed: boolean } = {
    closed: false,
    async write(text) {
      writes.push(text);
      if (writes.length >= closeAfter) t.closed = true;
    },
    async commit() {
      calls.push('commit');
    },
    async abort() {
      calls.push('abort');
    },
  };
  return { t, writes, calls };
}

describe('encodingSink', () => {
  it('encodes a huge batch in bounded pieces with the same bytes as one piece', async () => {
    const { t, writes } = target();
    const records = Array.from({ length: 20_000 }, (_, i) => ({ i }));
    const sink = encodingSink(createEncoder('json'), t);
    await sink.write(records);
    await sink.commit();
    expect(writes.length).toBe(4); // three pieces of at most 8192 records, then the closing bracket
    const whole = createEncoder('json');
    expect(writes.join('')).toBe(whole.batch(records) + whole.end());
  });

  it('writes a single value, and an array value as records', async () => {
    const one = target();
    const sink = encodingSink(createEncoder('json'), one.t);
    await sink.writeValue!({ mean: 2.5 });
    await sink.commit();
    expect(one.writes.join('')).toBe('{"mean":2.5}\n');
    const many = target();
    const arraySink = encodingSink(createEncoder('csv'), many.t);
    await arraySink.writeValue!([{ k: 'a' }, { k: 'b' }]);
    await arraySink.commit();
    expect(many.writes.join('')).toBe('k\na\nb\n');
  });

  it('stops encoding once the target is closed', async () => {
    const { t, writes } = target(1);
    const sink = encodingSink(createEncoder('ndjson'), t);
    await sink.write(Array.from({ length: 30_000 }, (_, i) => i));
    await sink.write([1]);
    expect(writes.length).toBe(1);
  });

  it('refuses writes after commit, and aborts once, never after commit', async () => {
    const a = target();
    const sink = encodingSink(createEncoder('ndjson'), a.t);
    await sink.commit();
    await expect(sink.write([1])).rejects.toThrow('output: write after commit');
    await sink.abort();
    expect(a.calls).toEqual(['commit']);
    const b = target();
    const other = encodingSink(createEncoder('ndjson'), b.t);
    await other.abort();
    await other.abort();
    await expect(other.commit()).rejects.toThrow('output: commit after abort');
    expect(b.calls).toEqual(['abort']);
  });
});

describe('writeRecords', () => {
  const records = Array.from({ length: 20_000 }, (_, i) => ({ i }));

  it('hands the records over in pieces, with the same bytes as one batch', async () => {
    const whole = target();
    const sink = encodingSink(createEncoder('ndjson'), whole.t);
    await sink.write(records);
    const pieces = target();
    const batches: number[] = [];
    const inPieces = encodingSink(createEncoder('ndjson'), pieces.t);
    await writeRecords({ ...inPieces, write: (batch) => (batches.push(batch.length), inPieces.write(batch)) }, records);
    expect(batches).toEqual([8192, 8192, 20_000 - 2 * 8192]);
    expect(pieces.writes.join('')).toBe(whole.writes.join(''));
  });

  it('stops between pieces once the signal is aborted, with the error the signal names', async () => {
    const controller = new AbortController();
    const batches: number[] = [];
    const sink = encodingSink(createEncoder('ndjson'), target().t);
    const write = (batch: unknown[]) => {
      batches.push(batch.length);
      controller.abort('SIGTERM');
      return sink.write(batch);
    };
    await expect(writeRecords({ ...sink, write }, records, controller.signal)).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: 'interrupted (SIGTERM); nothing was written',
    });
    expect(batches).toEqual([8192]);
  });

  it('stops once the reader is gone', async () => {
    let batches = 0;
    const sink = { closed: false, write: async () => void (++batches === 2 && (sink.closed = true)), commit: async () => {}, abort: async () => {} };
    await writeRecords(sink, records);
    expect(batches).toBe(2);
  });
});
