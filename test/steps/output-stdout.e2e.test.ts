// output stdout, compiled (dist/), in a child process piped into `head -1`: a reader that goes away
// ends the output quietly.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const compiled = path.join(root, 'dist/steps/output-stdout.js');

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
