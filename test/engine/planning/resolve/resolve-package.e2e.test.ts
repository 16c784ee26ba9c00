// npm steps through the CLI: a bad flow range stops `flow run` before anything runs; steps of every
// kind from packages run on worker threads.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowVersion } from '../../../../engine/planning/resolve/version-range.js';
import { runFlow } from '../../../helpers/cli.js';

describe('npm steps in a pipeline, run by the CLI', () => {
  it('makes `flow run` exit 2 with the compiler-style message and no stack, nothing run', async () => {
    const run = await runFlow(['run', 'test/fixtures/plugins/pipeline-versions.yaml']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `test/fixtures/plugins/pipeline-versions.yaml:4:11 error: map[1].step: "flow-steps-multi/future" supports flow >=2 <3, but this is flow ${flowVersion()}`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes source, map, reduce and output steps from packages, on worker threads', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'flow-npm-')), 'total.json');
    const run = await runFlow(['run', 'test/fixtures/plugins/pipeline-npm-kinds.yaml', '--quiet', '--set', `out=${out}`]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toBe(2 * (6 + 5 + 4 + 3 + 2 + 1));
  });
});
