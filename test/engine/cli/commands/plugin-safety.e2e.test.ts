// Plugin safety through the CLI, on real files: a local plugin path stays inside the pipeline's
// project (the nearest folder with a package.json) unless --allow-plugin-path trusts another folder,
// and an npm step comes from the pipeline's project, never from flow's own node_modules.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../helpers/cli.js';

const plugin = "export default { kind: 'map', name: 'times-ten', summary: 'x10', options: { type: 'object' }, map: (r) => r * 10 };\n";
let tmp: string;
let project: string;

/** A pipeline in project/pipelines/ whose only map step is `step`; range(4) x10 summed is 60. */
function pipeline(name: string, step: string): string {
  writeFileSync(path.join(project, 'pipelines', name), `source:\n  step: range\n  with: { end: 4 }\nmap:\n  - step: ${step}\nreduce: sum\n`);
  return path.join('pipelines', name);
}

function flow(args: string[]) {
  return runFlow(args, { cwd: project });
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'flow-safety-'));
  project = path.join(tmp, 'project');
  for (const dir of ['project/pipelines', 'project/steps', 'shared']) mkdirSync(path.join(tmp, dir), { recursive: true });
  writeFileSync(path.join(project, 'package.json'), '{ "name": "project", "private": true }\n');
  writeFileSync(path.join(project, 'steps', 'inside.mjs'), plugin);
  writeFileSync(path.join(tmp, 'shared', 'outside.mjs'), plugin);
  symlinkSync(path.join(tmp, 'shared', 'outside.mjs'), path.join(project, 'steps', 'link-out.mjs'));
  symlinkSync(path.join(project, 'steps', 'inside.mjs'), path.join(project, 'steps', 'link-in.mjs'));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('local plugin paths', () => {
  it('may use ../ and symlinks as long as they stay inside the project', async () => {
    for (const [name, step] of [
      ['up.yaml', '../steps/inside.mjs'],
      ['link-in.yaml', '../steps/link-in.mjs'],
    ] as const) {
      const run = await flow(['run', pipeline(name, step), '--quiet', '--workers', '2']);
      expect({ name, ...run }).toMatchObject({ name, code: 0, stdout: '60\n', stderr: '' });
    }
  });

  it('refuse a ../ escape, an absolute path and a symlink out, each located, exit 2, nothing run', async () => {
    const cases = [
      ['escape.yaml', '../../shared/outside.mjs', "leads outside the pipeline's project folder"],
      ['absolute.yaml', path.join(tmp, 'shared', 'outside.mjs'), 'is absolute'],
      ['link-out.yaml', '../steps/link-out.mjs', "is a symbolic link to a file outside the pipeline's project folder"],
    ] as const;
    for (const [name, step, why] of cases) {
      const file = pipeline(name, step);
      for (const command of ['run', 'validate']) {
        const run = await flow(command === 'run' ? ['run', file, '--quiet'] : ['validate', file]);
        expect({ name, command, code: run.code, stdout: run.stdout }).toEqual({ name, command, code: 2, stdout: '' });
        expect(run.stderr).toContain(`pipelines/${name}:5:11 error: map[0].step: plugin path "${step}" ${why}`);
      }
    }
  });

  it('--allow-plugin-path DIR trusts DIR (repeatable), for run and validate alike', async () => {
    const escape = pipeline('escape.yaml', '../../shared/outside.mjs');
    const absolute = pipeline('absolute.yaml', path.join(tmp, 'shared', 'outside.mjs'));
    const linked = pipeline('link-out.yaml', '../steps/link-out.mjs');
    const validate = await flow(['validate', escape, absolute, linked, '--allow-plugin-path', '../shared']);
    expect(validate).toMatchObject({ code: 0, stderr: '' });
    for (const file of [escape, absolute, linked]) {
      const run = await flow(['run', file, '--quiet', '--workers', '2', '--allow-plugin-path', 'steps', '--allow-plugin-path', path.join(tmp, 'shared')]);
      expect({ file, ...run }).toMatchObject({ file, code: 0, stdout: '60\n', stderr: '' });
    }
    // Trusting some other folder does not trust this one.
    const other = await flow(['validate', escape, '--allow-plugin-path', 'steps']);
    expect(other.code).toBe(2);
  });
});

describe('npm steps', () => {
  it('resolve from the pipeline’s project only, not from flow’s own node_modules', async () => {
    // piscina is one of flow's own dependencies; the project does not have it.
    const run = await flow(['validate', pipeline('npm.yaml', 'piscina')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pipelines/npm.yaml:5:11 error: map[0].step: no built-in map step and no npm package named "piscina"');
  });

  it('resolve from the project’s node_modules, when they are its declared dependencies', async () => {
    const pkg = path.join(project, 'node_modules', 'flow-step-times-ten');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), '{ "name": "flow-step-times-ten", "type": "module", "exports": "./index.js" }\n');
    writeFileSync(path.join(pkg, 'index.js'), plugin);
    // Installed, but not a dependency of the project: refused before anything runs.
    const undeclared = await flow(['run', pipeline('npm-ok.yaml', 'flow-step-times-ten'), '--quiet']);
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toContain(
      'pipelines/npm-ok.yaml:5:11 error: map[0].step: "flow-step-times-ten" is installed but is not a dependency of package.json',
    );
    expect(undeclared.stderr).toContain("hint: npm steps come from the pipeline project's own dependencies: npm install flow-step-times-ten");
    writeFileSync(path.join(project, 'package.json'), '{ "name": "project", "private": true, "dependencies": { "flow-step-times-ten": "1.0.0" } }\n');
    try {
      const run = await flow(['run', pipeline('npm-ok.yaml', 'flow-step-times-ten'), '--quiet', '--workers', '2']);
      expect(run).toMatchObject({ code: 0, stdout: '60\n', stderr: '' });
    } finally {
      writeFileSync(path.join(project, 'package.json'), '{ "name": "project", "private": true }\n');
    }
  });
});
