// The `flow` binary runs the CLI bundle from V8's code cache when the cache was built for exactly
// that bundle, and compiles it as usual otherwise.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { root } from '../../helpers/cli.js';

const bundle = path.join(root, 'dist/bundle/cli.cjs');
const source = () => readFileSync(bundle, 'utf8').replace(/^#!.*/, '');

/** A copy of the built package whose cache file is `cache`. */
function packageWith(cache: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-bin-'));
  mkdirSync(path.join(dir, 'dist/engine/launch'), { recursive: true });
  mkdirSync(path.join(dir, 'dist/bundle'));
  for (const file of ['package.json', 'dist/engine/launch/bin.cjs', 'dist/bundle/cli.cjs', 'dist/bundle/worker.js', 'dist/validators.cjs']) {
    copyFileSync(path.join(root, file), path.join(dir, file));
  }
  for (const link of ['node_modules', 'schemas']) symlinkSync(path.join(root, link), path.join(dir, link));
  writeFileSync(path.join(dir, 'dist/bundle/cli.cache'), cache);
  return dir;
}

const squares = (dir: string) =>
  execFileSync(process.execPath, [path.join(dir, 'dist/engine/launch/bin.cjs'), 'run', path.join(root, 'pipelines/squares.yaml'), '--quiet'], {
    encoding: 'utf8',
  });
const expected = `${JSON.stringify(
  Array.from({ length: 20 }, (_, i) => i * i),
  null,
  2,
)}\n`;

describe('the flow binary', () => {
  it('has a code cache, built for this bundle, that V8 accepts', () => {
    const data = readFileSync(path.join(root, 'dist/bundle/cli.cache'));
    const text = source();
    const id = text.slice(text.lastIndexOf('//# flowBuild='));
    // The id is the digest of the bundle as esbuild wrote it, and the cache starts with it.
    const raw = readFileSync(bundle, 'utf8');
    expect(id).toBe(
      `//# flowBuild=${createHash('sha256')
        .update(raw.slice(0, raw.lastIndexOf('\n//# flowBuild=')))
        .digest('hex')}\n`,
    );
    expect(data.subarray(0, id.length).toString('latin1')).toBe(id);
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {
      filename: bundle,
      cachedData: data.subarray(id.length),
    });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('runs a bundle that is ASCII, as it reads it as latin1', () => {
    expect(/[^\x00-\x7f]/.test(readFileSync(bundle, 'latin1'))).toBe(false);
  });

  it('runs with its cache, and without a cache that matches: a stale one of the same length, garbage, or none', () => {
    const cache = readFileSync(path.join(root, 'dist/bundle/cli.cache'));
    const stale = Buffer.from(cache);
    stale[0] = stale[0]! ^ 0xff; // another bundle's digest
    for (const variant of [cache, stale, Buffer.from('not a cache'), Buffer.alloc(0)]) {
      expect(squares(packageWith(variant))).toBe(expected);
    }
  });
});
