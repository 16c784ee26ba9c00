import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../../engine/contract/errors.js';
import { findTestFiles } from '../../../../../engine/cli/commands/test/find.js';

function tree(files: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-find-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), '');
  }
  return dir;
}

describe('findTestFiles', () => {
  it('finds *.test.yaml under a folder in name order, outside node_modules and dot folders', () => {
    const dir = tree(['b.test.yaml', 'a/z.test.yaml', 'a/b.yaml', 'node_modules/x/y.test.yaml', '.git/h.test.yaml', 'c/.hidden/d.test.yaml', 'a.test.yml']);
    expect(findTestFiles([dir]).map((f) => path.relative(dir, f))).toEqual([path.join('a', 'z.test.yaml'), 'b.test.yaml']);
  });

  it('takes a file as given, whatever its name, and each file once', () => {
    const dir = tree(['one.yaml', 'two.test.yaml']);
    const files = findTestFiles([path.join(dir, 'one.yaml'), dir, path.join(dir, 'two.test.yaml')]);
    expect(files.map((f) => path.basename(f))).toEqual(['one.yaml', 'two.test.yaml']);
  });

  it('refuses a missing path, and a folder without test files', () => {
    const dir = tree(['x.yaml']);
    expect(() => findTestFiles([path.join(dir, 'nope')])).toThrow(FlowError);
    expect(() => findTestFiles([path.join(dir, 'nope')])).toThrow(/no such file or folder/);
    expect(() => findTestFiles([dir])).toThrow(/no test files \(\*\.test\.yaml\) under/);
  });
});
