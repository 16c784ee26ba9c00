import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowError } from '../../engine/contract/errors.js';
import step from '../../steps/output-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'flow-output-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctx = () => ({ pipelineDir: dir, streaming: true });
const open = (options: { path: string; format?: 'json' | 'ndjson' | 'csv' }) => step.open(options, ctx());
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function failure(promise: Promise<unknown>): Promise<FlowError> {
  try {
    await promise;
  } catch (error) {
    return error as FlowError;
  }
  throw new Error('did not fail');
}

describe('output file', () => {
  it('infers the format from the extension, resolves against the pipeline folder, creates folders', async () => {
    for (const [name, expected] of [
      ['a/b/out.json', '[\n  {"x":1},\n  {"x":"two"}\n]\n'],
      ['out.ndjson', '{"x":1}\n{"x":"two"}\n'],
      ['out.JSONL', '{"x":1}\n{"x":"two"}\n'],
      ['deep/er/out.csv', 'x\n1\ntwo\n'],
    ] as const) {
      const sink = await open({ path: name });
      await sink.write([{ x: 1 }]);
      await sink.write([{ x: 'two' }]);
      await sink.commit();
      expect(await readFile(path.join(dir, name), 'utf8')).toBe(expected);
    }
  });

  it('writes a .gz path gzipped, in the format of the name before .gz, nothing visible before commit, nothing left on abort', async () => {
    for (const [name, expected] of [
      ['out.ndjson.gz', '{"x":1}\n{"x":"two"}\n'],
      ['out.CSV.gz', 'x\n1\ntwo\n'],
      ['out.json.gz', '[\n  {"x":1},\n  {"x":"two"}\n]\n'],
    ] as const) {
      const sink = await open({ path: name });
      await sink.write([{ x: 1 }]);
      await sink.write([{ x: 'two' }]);
      expect(await readdir(dir)).not.toContain(name);
      await sink.commit();
      expect(gunzipSync(await readFile(path.join(dir, name))).toString()).toBe(expected);
    }
    const big = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `row ${i}` }));
    const sink = await open({ path: 'big.ndjson.gz' });
    await sink.write(big);
    await sink.commit();
    expect(gunzipSync(await readFile(path.join(dir, 'big.ndjson.gz'))).toString()).toBe(big.map((r) => JSON.stringify(r) + '\n').join(''));
    const aborted = await open({ path: 'gone.csv.gz' });
    await aborted.write([{ x: 1 }]);
    await aborted.abort();
    expect((await readdir(dir)).filter((f) => f.includes('gone'))).toEqual([]);
  });

  it('writes a single result, BigInt exact', async () => {
    const sink = await open({ path: 'sum.json' });
    await sink.writeValue!(333332833333500000n);
    await sink.commit();
    expect(await readFile(path.join(dir, 'sum.json'), 'utf8')).toBe('333332833333500000\n');
  });

  it('takes an explicit format over the extension', async () => {
    const sink = await open({ path: 'records.log', format: 'ndjson' });
    await sink.write([1, 2]);
    await sink.commit();
    expect(await readFile(path.join(dir, 'records.log'), 'utf8')).toBe('1\n2\n');
  });

  it('needs a format when the extension does not tell', async () => {
    expect(step.check!({ path: 'out/result.txt' })).toEqual([
      {
        path: 'path',
        code: 'INVALID_VALUE',
        message: 'cannot tell the output format of "out/result.txt" from its extension ".txt"',
        hint: 'name the file .json, .ndjson, .jsonl, .csv or .parquet, or set format: json | ndjson | csv | parquet',
      },
    ]);
    expect(step.check!({ path: 'result', format: 'csv' })).toEqual([]);
    const error = await failure(Promise.resolve(open({ path: 'result' })));
    expect(error.toJSON()).toEqual({
      code: 'INVALID_VALUE',
      message: 'cannot tell the output format of "result" from a name without an extension',
      path: 'output.with.path',
      hint: 'name the file .json, .ndjson, .jsonl, .csv or .parquet, or set format: json | ndjson | csv | parquet',
    });
  });

  it('shows nothing before commit, and streams to a temp file rather than holding the output', async () => {
    const sink = await open({ path: 'out.ndjson' });
    await sink.write(Array.from({ length: 1000 }, (_, i) => ({ i })));
    await expect(stat(path.join(dir, 'out.ndjson'))).rejects.toMatchObject({ code: 'ENOENT' });
    const [temp] = await readdir(dir);
    expect(temp).toMatch(new RegExp(`^\\.out\\.ndjson\\.tmp-${process.pid}-[0-9a-f]{8}$`));
    expect((await stat(path.join(dir, temp!))).size).toBeGreaterThan(8000);
    await sink.commit();
    expect(await readdir(dir)).toEqual(['out.ndjson']);
  });

  it('abort leaves no file and keeps an older one intact', async () => {
    const sink = await open({ path: 'new/out.json' });
    await sink.write([1, 2, 3]);
    await sink.abort();
    expect(await readdir(path.join(dir, 'new'))).toEqual([]);

    await writeFile(path.join(dir, 'old.csv'), 'a\nold\n');
    const again = await open({ path: 'old.csv' });
    await again.write([{ a: 'new' }]);
    await again.abort();
    await again.abort(); // twice is harmless
    expect(await readdir(dir)).toEqual(['new', 'old.csv']);
    expect(await readFile(path.join(dir, 'old.csv'), 'utf8')).toBe('a\nold\n');
  });

  it('a reader polling the target during a slow write sees the old file or the whole new one', async () => {
    const target = path.join(dir, 'out.ndjson');
    const old = 'old\n';
    await writeFile(target, old);
    const lines = Array.from({ length: 40 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(5000)}"}\n`);
    const seen = new Set<string>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const text = await readFile(target, 'utf8');
        seen.add(text === old ? 'old' : text === lines.join('') ? 'new' : `partial ${text.length}`);
        await tick(1);
      }
    })();
    const sink = await open({ path: 'out.ndjson' });
    for (let i = 0; i < lines.length; i++) {
      await sink.write([{ i, pad: 'x'.repeat(5000) }]);
      await tick(5);
    }
    await sink.commit();
    await tick(20);
    polling = false;
    await poller;
    expect([...seen].sort()).toEqual(['new', 'old']);
  });

  it('a failed write names the file, and leaves nothing behind', async () => {
    await writeFile(path.join(dir, 'blocker'), 'a file, not a folder');
    const error = await failure(Promise.resolve(open({ path: 'blocker/out.json' })));
    expect(error).toBeInstanceOf(FlowError);
    expect(error.code).toBe('OUTPUT_FAILED');
    expect(error.message).toMatch(/^cannot write blocker\/out\.json: (ENOTDIR|EEXIST)/);

    await mkdir(path.join(dir, 'taken.json'));
    const sink = await open({ path: 'taken.json' });
    await sink.write([1]);
    const commitError = await failure(sink.commit());
    expect(commitError.code).toBe('OUTPUT_FAILED');
    expect(commitError.message).toMatch(/^cannot write taken\.json: /);
    await sink.abort();
    expect((await readdir(dir)).sort()).toEqual(['blocker', 'taken.json']);
  });

  it('keeps the mode of the file it replaces, its temp included; a new file gets the usual mode', async () => {
    const target = path.join(dir, 'secret.ndjson');
    await writeFile(target, 'old\n');
    await chmod(target, 0o600);
    const sink = await open({ path: 'secret.ndjson' });
    await sink.write([{ a: 1 }]);
    const temp = (await readdir(dir)).find((name) => name.startsWith('.secret.ndjson.tmp-'))!;
    expect((await stat(path.join(dir, temp))).mode & 0o777).toBe(0o600);
    await sink.commit();
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(await readFile(target, 'utf8')).toBe('{"a":1}\n');

    // Bits the umask would take (group write) are kept too.
    await chmod(target, 0o664);
    const again = await open({ path: 'secret.ndjson' });
    await again.commit();
    expect((await stat(target)).mode & 0o777).toBe(0o664);

    const fresh = await open({ path: 'fresh.ndjson' });
    await fresh.commit();
    const umask = process.umask();
    expect((await stat(path.join(dir, 'fresh.ndjson'))).mode & 0o777).toBe(0o666 & ~umask);
  });

  it('removes the temps of its target that gone processes left, not those of live ones or other files', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('close', resolve));
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await new Promise((resolve) => live.on('spawn', resolve));
    try {
      await mkdir(path.join(dir, 'out'));
      const left = [`.r.ndjson.tmp-${gone.pid}-0a1b2c3d`, `.r.ndjson.tmp-${gone.pid}-99`];
      const kept = [`.r.ndjson.tmp-${live.pid}-0a1b2c3d`, `.other.ndjson.tmp-${gone.pid}-0a1b2c3d`, 'r.ndjson'];
      for (const name of [...left, ...kept]) await writeFile(path.join(dir, 'out', name), 'x'.repeat(1000));
      const sink = await open({ path: 'out/r.ndjson' });
      await sink.write([1]);
      await sink.commit();
      expect((await readdir(path.join(dir, 'out'))).sort()).toEqual(kept.sort());
      expect(await readFile(path.join(dir, 'out/r.ndjson'), 'utf8')).toBe('1\n');
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('passes a bad record on as a FlowError', async () => {
    const sink = await open({ path: 'out.csv' });
    await sink.write([{ a: 1 }]);
    const error = await failure(Promise.resolve(sink.write([{ a: 2, b: 3 }])));
    expect(error.code).toBe('BAD_RECORD');
    await sink.abort();
    expect(await readdir(dir)).toEqual([]);
  });
});
