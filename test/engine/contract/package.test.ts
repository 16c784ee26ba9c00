import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../helpers/temp.js';
import { projectRoot } from '../../../engine/contract/package.js';

const temp = tempDirs('flow-root-');

describe('projectRoot', () => {
  it('is the folder of the nearest package.json above the folder, else the folder itself', () => {
    const dir = temp();
    mkdirSync(path.join(dir, 'a/b'), { recursive: true });
    writeFileSync(path.join(dir, 'a/package.json'), '{}');
    expect(projectRoot(path.join(dir, 'a/b'))).toBe(path.join(dir, 'a'));
    expect(projectRoot(path.join(dir, 'a'))).toBe(path.join(dir, 'a'));
    const bare = temp();
    // tmpdir has no package.json above it here; the folder itself is the root.
    expect(projectRoot(bare)).toBe(bare);
    expect(projectRoot(path.join(bare, '.'))).toBe(bare);
  });
});
