// flow init: the scaffold runs as written. Setup stands in for `npm install`: the temp project's
// node_modules gets this repo as `flow-pipelines` and vitest, both symlinked. (init-tarball.e2e.test.ts
// does the real thing: npm pack, npm exec, npm install, npm test.)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../helpers/cli.js';
import { LspClient } from '../../../editor/lsp-client.js';

const files = ['package.json', 'tsconfig.json', 'pipeline.yaml', 'data/orders.csv', 'steps/add-tax.ts', 'steps/add-tax.test.ts'];
let tmp: string;
let project: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'flow-init-'));
  project = path.join(tmp, 'orders');
  const run = await runFlow(['init', 'orders'], { cwd: tmp });
  expect(run).toMatchObject({ code: 0, stderr: '' });
  mkdirSync(path.join(project, 'node_modules'));
  symlinkSync(root, path.join(project, 'node_modules', 'flow-pipelines'), 'dir');
  symlinkSync(path.join(root, 'node_modules', 'vitest'), path.join(project, 'node_modules', 'vitest'), 'dir');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('flow init', () => {
  it('writes the pipeline, a TypeScript step, its test, data, a package.json and a tsconfig.json', () => {
    expect(files.filter((f) => !existsSync(path.join(project, f)))).toEqual([]);
    const pipeline = readFileSync(path.join(project, 'pipeline.yaml'), 'utf8');
    expect(pipeline.split('\n')[0]).toBe('# yaml-language-server: $schema=node_modules/flow-pipelines/schemas/pipeline.schema.json');
    expect(readFileSync(path.join(project, 'steps/add-tax.ts'), 'utf8')).toContain("import { defineStep } from 'flow-pipelines';");
    const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    // flow runs from this checkout, so the project depends on the checkout's folder.
    expect(pkg).toMatchObject({
      name: 'orders',
      type: 'module',
      dependencies: { 'flow-pipelines': `file:${path.relative(project, root).split(path.sep).join('/')}` },
    });
    expect(pkg.devDependencies).toHaveProperty('vitest');
    expect(pkg.devDependencies).toHaveProperty('typescript');
  });

  it('its tsconfig.json lets tsc check the step and the test that imports ./add-tax.ts (no TS5097)', async () => {
    const result = await spawnText(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, env: process.env });
    expect(result).toEqual({ code: 0, out: '' });
  });

  it('runs: the TypeScript step loads in the worker threads', async () => {
    const run = await runFlow(['run', 'pipeline.yaml', '--quiet', '--workers', '2'], { cwd: project });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { customer: 'ada', orders: 2, total: 17.4 },
      { customer: 'grace', orders: 2, total: 45 },
    ]);
    const filtered = await runFlow(['run', 'pipeline.yaml', '--quiet', '--set', 'min_amount=5'], { cwd: project });
    expect(JSON.parse(filtered.stdout)).toEqual([
      { customer: 'ada', orders: 1, total: 12 },
      { customer: 'grace', orders: 2, total: 45 },
    ]);
  });

  it('its vitest test passes', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
    const result = await spawnText(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter', 'verbose'], {
      cwd: project,
      env: { ...env, CI: 'true', NO_COLOR: '1' },
    });
    expect({ code: result.code, out: result.out }).toMatchObject({ code: 0 });
    expect(result.out).toContain('add-tax > adds the amount with tax, rounded to cents');
    expect(result.out).toMatch(/Tests +2 passed/);
  });

  it('its schema line works in the editor: the language server reports nothing and knows the steps', async () => {
    const client = new LspClient();
    try {
      await client.initialize(project);
      const text = readFileSync(path.join(project, 'pipeline.yaml'), 'utf8');
      const uri = client.open(path.join(project, 'pipeline.yaml'), text);
      expect(await client.waitForDiagnostics(uri, () => true)).toEqual([]);
      const line = text.split('\n').findIndex((l) => l.includes('step: group'));
      const hover = (await client.hover(uri, { line, character: 10 })) as { contents: { value: string } } | null;
      expect(hover?.contents.value).toContain('reduce step group');
    } finally {
      await client.close();
    }
  });

  it('refuses to overwrite: exit 2, a clear error, nothing written', async () => {
    writeFileSync(path.join(project, 'pipeline.yaml'), 'edited by the user\n');
    const again = await runFlow(['init', 'orders'], { cwd: tmp });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      'error: flow init: orders/package.json, orders/tsconfig.json, orders/pipeline.yaml, orders/data/orders.csv, orders/steps/add-tax.ts, orders/steps/add-tax.test.ts already exist; nothing was written',
    );
    expect(readFileSync(path.join(project, 'pipeline.yaml'), 'utf8')).toBe('edited by the user\n');

    const partial = path.join(tmp, 'partial');
    mkdirSync(path.join(partial, 'data'), { recursive: true });
    writeFileSync(path.join(partial, 'data/orders.csv'), 'mine\n');
    const clash = await runFlow(['init'], { cwd: partial });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('error: flow init: data/orders.csv already exists; nothing was written');
    expect(readdirSync(partial).sort()).toEqual(['data']);

    const onFile = await runFlow(['init', 'data/orders.csv'], { cwd: partial });
    expect(onFile).toMatchObject({ code: 2, stdout: '' });
    expect(onFile.stderr).toBe('error: flow init: data/orders.csv is a file, not a folder\n  hint: flow init DIR creates DIR, or fills an existing folder\n');
  });

  it('inside flow’s own folder, points the schema line at flow’s schema by a relative path', async () => {
    const inside = path.join(root, '.cache', `init-test-${process.pid}`);
    try {
      const run = await runFlow(['init', inside]);
      expect(run.code).toBe(0);
      const first = readFileSync(path.join(inside, 'pipeline.yaml'), 'utf8').split('\n')[0]!;
      expect(first).toBe('# yaml-language-server: $schema=../../schemas/pipeline.schema.json');
      expect(existsSync(path.resolve(inside, first.split('$schema=')[1]!))).toBe(true);
    } finally {
      rmSync(inside, { recursive: true, force: true });
    }
  });
});

describe('flow init --flow-spec', () => {
  it('--flow-spec SPEC is written as given', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-init-spec-'));
    try {
      const run = await runFlow(['init', 'demo', '--flow-spec', '^0.2.0'], { cwd: dir });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const pkg = JSON.parse(readFileSync(path.join(dir, 'demo/package.json'), 'utf8')) as { dependencies: Record<string, string> };
      expect(pkg.dependencies).toEqual({ 'flow-pipelines': '^0.2.0' });
      const empty = await runFlow(['init', 'other', '--flow-spec', ''], { cwd: dir });
      expect(empty).toMatchObject({ code: 2, stdout: '' });
      expect(empty.stderr).toContain('error: flow init: --flow-spec needs a value');
      expect(existsSync(path.join(dir, 'other'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('flow init --help documents --flow-spec', async () => {
    const help = await runFlow(['init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('flow init [DIR] [--flow-spec SPEC]');
    expect(help.stdout).toContain('--flow-spec SPEC');
  });
});

function spawnText(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
