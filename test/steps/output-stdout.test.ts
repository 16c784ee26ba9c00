import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../engine/contract/errors.js';
import step, { streamSink } from '../../steps/output-stdout.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const compiled = path.join(root, 'dist/steps/output-stdout.js');

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

/** `node -e SCRIPT | head -1`: the writer gets head's stdin pipe itself, so it sees a real EPIPE. */
function pipeToHead(script: string): Promise<{ code: number | null; signal: string | null; stderr: string; head: string }> {
  return new Promise((resolve, reject) => {
    const head = spawn('head', ['-1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const writer = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', head.stdin, 'pipe'] });
    head.stdin.destroy(); // our copy of the pipe's write end: only the writer holds it now
    let stderr = '';
    let out = '';
    writer.stderr!.on('data', (d) => (stderr += d));
    head.stdout.on('data', (d) => (out += d));
    writer.on('error', reject);
    writer.on('close', (code, signal) => resolve({ code, signal, stderr, head: out }));
  });
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
    const error = await sink.write([2]).then(() => undefined, (e: unknown) => e as FlowError);
    expect(error).toBeInstanceOf(FlowError);
    expect(error!.toJSON()).toEqual({ code: 'OUTPUT_FAILED', message: 'cannot write to standard output: EIO: i/o error, write', step: 'output (stdout)' });
  });

  it('stops quietly when the reader goes away (flow run x | head -1)', async () => {
    expect(existsSync(compiled), `build dist first: ${compiled}`).toBe(true);
    for (const format of ['ndjson', 'json', 'csv']) {
      const script = `
        const { default: step } = await import(${JSON.stringify(compiled)});
        const sink = await step.open({ format: ${JSON.stringify(format)} }, { pipelineDir: process.cwd(), streaming: true });
        for (let b = 0; b < 300; b++) await sink.write(Array.from({ length: 1000 }, (_, i) => ({ b, i, s: 'some text' })));
        await sink.commit();
        if (!sink.closed) process.exitCode = 3;
      `;
      const result = await pipeToHead(script);
      expect(result).toEqual({
        code: 0,
        signal: null,
        stderr: '',
        head: { ndjson: '{"b":0,"i":0,"s":"some text"}\n', json: '[\n', csv: 'b,i,s\n' }[format],
      });
    }
  });
});
