// Temporary folders of a test file, removed after its tests.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A maker of folders named `<name>XXXXXX` under the system's temp folder, all removed after the file's tests. */
export function tempDirs(name: string): () => string {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  return () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), name));
    made.push(dir);
    return dir;
  };
}
