import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../engine/contract/errors.js';
import step, { streamSink } from '../../steps/output-stdout.js';

/** A slow consumer with a tiny buffer, so writes must wait for 'drain'. */
function slowStream(highWaterMark = 64) {
  const chunks: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _enc, done) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        chunks.push(chunk);
        inFlight--;
        done();
      }, 1);
    },
  });
  return { stream, text: () => chunks.join(''), maxInFlight: () => maxInFlight };
}

describe('output stdout', () => {
  it('describes its options', () => {
    expect(step.kind).toBe('output');
    expect(step.name).toBe('stdout');
    expect(step.options).toMatchObject({ additionalProperties: false, properties: { format: { enum: ['json', 'ndjson', 'csv'] } } });
  });

  it('streams batches in order, waiting for drain on a slow reader', async () => {
    const out = slowStream();
    const sink = streamSink(out.stream, 'json');
    for (let i = 0; i < 20; i++) await sink.write([{ i }, { i: `${i}"` }]);
    await sink.commit();
    const expected = Array.from({ length: 20 }, (_, i) => [`{"i":${i}}`, `{"i":"${i}\\""}`]).flat();
    expect(out.text()).toBe(`[\n  ${expected.join(',\n  ')}\n]\n`);
    expect(out.stream.writableLength).toBe(0);
    expect(sink.closed).toBe(false);
  });

  it('does not let writes run ahead of the reader', async () => {
    const out = slowStream(16);
    const sink = streamSink(out.stream, 'ndjson');
    const write = sink.write(['x'.repeat(100)]);
    expect(out.stream.writableNeedDrain).toBe(true);
    await write;
    expect(out.stream.writableNeedDrain).toBe(false);
    await sink.commit();
  });

  it('turns a write error into OUTPUT_FAILED', async () => {
    const broken = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }));
      },
    });
    const sink = streamSink(broken, 'ndjson');
    await sink.write([1]).catch(() => {});
    await new Promise((r) => setImmediate(r));
    const error = await sink.write([2]).then(
      () => undefined,
      (e: unknown) => e as FlowError,
    );
    expect(error).toBeInstanceOf(FlowError);
    expect(error!.toJSON()).toEqual({ code: 'OUTPUT_FAILED', message: 'cannot write to standard output: EIO: i/o error, write', step: 'output (stdout)' });
  });
});
