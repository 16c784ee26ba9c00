// Runs the built `flow` binary as a child process, the way users run it.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The binary users run: package.json's bin (it runs the esbuild bundle of the compiled CLI).
export const flowBin = path.join(root, 'dist/engine/launch/bin.cjs');

export interface FlowRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Throws in the unit project (vitest.config.ts): what starts the built CLI or a server is an e2e test. */
export function e2eOnly(what: string): void {
  if (process.env.FLOW_TEST_PROJECT === 'unit') throw new Error(`${what} needs the build: name this test file *.e2e.test.ts`);
}

/** `input`: text as standard input; `inputFile`: a file streamed in as standard input (a pipe, as `cat FILE | flow ...` gives). */
export function runFlow(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; inputFile?: string } = {}): Promise<FlowRun> {
  e2eOnly('runFlow (the built CLI)');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [flowBin, ...args], {
      cwd: options.cwd ?? root,
      // Not in GitHub Actions unless a test says so: the workflow commands and job summary would add to stderr.
      env: { ...process.env, CI: 'true', NO_COLOR: '1', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (options.inputFile !== undefined) pipeline(createReadStream(options.inputFile), child.stdin).catch(() => {});
    else child.stdin.end(options.input ?? '');
  });
}
