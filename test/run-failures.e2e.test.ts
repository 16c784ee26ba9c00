// Every folder under test/run-fixtures is a pipeline that validates but fails while running. Each
// must exit as expected.json says, with exactly its error objects (from --report), no stack trace,
// and no output file (an older one is kept as it was). FLOW_UPDATE_FIXTURES=1 rewrites the errors.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from './helpers/cli.js';

const fixtures = path.join(root, 'test/run-fixtures');
const cases = readdirSync(fixtures).filter((name) => existsSync(path.join(fixtures, name, 'expected.json')));

interface Expected {
  exit: number;
  env?: Record<string, string>;
  /** An output file that exists before the run and must be left as it was. */
  existingOutput?: string;
  errors: unknown[];
}

/** The output file the pipeline names, relative to its folder. */
function outputPath(pipeline: string): string | undefined {
  return /path: (out\/[\w.-]+)/.exec(pipeline.split('output:')[1] ?? '')?.[1];
}

describe('failed runs', () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(7));

  it.each(cases)('%s', async (name) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `flow-${name}-`));
    cpSync(path.join(fixtures, name), dir, { recursive: true });
    const expectedFile = path.join(fixtures, name, 'expected.json');
    const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
    const output = outputPath(readFileSync(path.join(dir, 'pipeline.yaml'), 'utf8'));
    if (expected.existingOutput !== undefined) {
      mkdirSync(path.join(dir, 'out'), { recursive: true });
      writeFileSync(path.join(dir, output!), expected.existingOutput);
    }

    const run = await runFlow(['run', 'pipeline.yaml', '--quiet', '--report', 'report.json'], { cwd: dir, env: expected.env ?? {} });
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { status: string; exitCode: number; errors: unknown[] };
    if (process.env.FLOW_UPDATE_FIXTURES === '1') writeFileSync(expectedFile, `${JSON.stringify({ ...expected, errors: report.errors }, null, 2)}\n`);

    expect(run.code).toBe(expected.exit);
    expect(report).toMatchObject({ status: 'failed', exitCode: expected.exit });
    expect(report.errors).toEqual(expected.errors);
    expect(run.stdout).toBe('');
    // A user's error reads like a compiler's: no stack trace.
    expect(run.stderr).toMatch(/^error: /m);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    if (output) {
      const target = path.join(dir, output);
      if (expected.existingOutput !== undefined) expect(readFileSync(target, 'utf8')).toBe(expected.existingOutput);
      else expect(existsSync(target)).toBe(false);
      const folder = path.dirname(target);
      const left = existsSync(folder) ? readdirSync(folder) : [];
      expect(left).toEqual(expected.existingOutput !== undefined ? [path.basename(target)] : []);
    }
  });
});
