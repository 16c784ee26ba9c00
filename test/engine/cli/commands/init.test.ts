// flow init's dependency on flow-pipelines: which spec the new project's package.json gets, from where
// this flow runs (the CLI itself is tested in init.e2e.test.ts and init-tarball.e2e.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowSpec } from '../../../../engine/cli/commands/init.js';

describe('flow init: the dependency on flow-pipelines', () => {
  const layout = (resolved: string | undefined) => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'flow-init-spec-'));
    const installed = path.join(base, 'node_modules', 'flow-pipelines');
    mkdirSync(installed, { recursive: true });
    if (resolved !== undefined) {
      const lock = { lockfileVersion: 3, packages: { 'node_modules/flow-pipelines': { version: '0.1.0', resolved } } };
      writeFileSync(path.join(base, 'node_modules', '.package-lock.json'), JSON.stringify(lock));
    }
    return { base, installed };
  };

  it('from a folder outside node_modules (a checkout): file: that folder, relative to the project', () => {
    expect(flowSpec('/home/ada/jobs/demo', '0.1.0', '/home/ada/src/flow')).toBe('file:../../src/flow');
  });

  it('installed from the registry, or with no record of where from: ^VERSION', () => {
    for (const resolved of ['https://registry.npmjs.org/flow-pipelines/-/flow-pipelines-0.1.0.tgz', undefined]) {
      const { base, installed } = layout(resolved);
      try {
        expect(flowSpec(path.join(base, 'demo'), '0.1.0', installed)).toBe('^0.1.0');
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    }
  });

  it('installed from a local tarball (npm exec --package ./x.tgz): file: that tarball, relative to the project', () => {
    const { base, installed } = layout('file:../downloads/flow-pipelines-0.1.0.tgz');
    try {
      const tarball = path.resolve(base, '../downloads/flow-pipelines-0.1.0.tgz');
      const demo = path.join(base, 'demo');
      expect(flowSpec(demo, '0.1.0', installed)).toBe(`file:${path.relative(demo, tarball).split(path.sep).join('/')}`);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
