// flow init on a fresh machine, for real: this repo packed as users get it (npm pack), run through
// npm exec from the tarball, and the new project installed, run and tested with npm. Needs the npm
// registry (vitest and flow's dependencies) and a few minutes the first time.
import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../../helpers/cli.js';

const minutes = 60_000;
let tmp: string;

// npm as a user runs it: none of the npm_*, VITEST* or NODE_OPTIONS variables of the test run (an npm
// script's npm_config_local_prefix would point the inner npm at this repo).
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST)/i.test(k) && k !== 'NODE_OPTIONS' && k !== 'NODE_ENV'));
const npm = (args: string[], cwd: string) => spawnText('npm', args, { cwd, env: { ...env, CI: 'true', NO_COLOR: '1' } });

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'flow-init-tarball-'));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('flow init from a packed tarball', () => {
  it(
    'npm exec --package ./TARBALL -- flow init demo; npm install; npx flow run pipeline.yaml; npm test',
    async () => {
      // dist/ is built by the test run's global setup: pack it as is (the prepare script would rebuild).
      const pack = await npm(['pack', root, '--ignore-scripts', '--json'], tmp);
      expect(pack.code, pack.out).toBe(0);
      const tarball = (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename;
      expect(tarball).toMatch(/^flow-pipelines-\d+\.\d+\.\d+.*\.tgz$/);

      const init = await npm(['exec', '--yes', '--package', `./${tarball}`, '--', 'flow', 'init', 'demo'], tmp);
      expect(init.code, init.out).toBe(0);
      expect(init.stdout).toContain('created in demo:');
      const demo = path.join(tmp, 'demo');
      const pkg = JSON.parse(readFileSync(path.join(demo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      // flow came from a local tarball, so the project depends on that same tarball.
      expect(pkg.dependencies).toEqual({ 'flow-pipelines': `file:../${tarball}` });

      const install = await npm(['install', '--no-audit', '--no-fund'], demo);
      expect(install.code, install.out).toBe(0);
      expect(lstatSync(path.join(demo, 'node_modules/flow-pipelines')).isSymbolicLink()).toBe(false);

      const run = await spawnText('npx', ['flow', 'run', 'pipeline.yaml'], { cwd: demo, env: { ...env, CI: 'true', NO_COLOR: '1' } });
      expect(run.code, run.out).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([
        { customer: 'ada', orders: 2, total: 17.4 },
        { customer: 'grace', orders: 2, total: 45 },
      ]);
      expect(run.stderr).toContain('[flow] pipeline.yaml: done');

      const test = await npm(['test'], demo);
      expect(test.code, test.out).toBe(0);
      expect(test.out).toMatch(/✓ steps\/add-tax\.test\.ts \(2 tests\)/);
      expect(test.out).toMatch(/Tests +2 passed \(2\)/);

      const typecheck = await npm(['run', 'typecheck'], demo);
      expect(typecheck.code, typecheck.out).toBe(0);
      expect(typecheck.out).not.toContain('error TS');
    },
    5 * minutes,
  );
});

function spawnText(
  cmd: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, out: stdout + stderr }));
  });
}
