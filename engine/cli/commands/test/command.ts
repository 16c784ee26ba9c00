// flow test [PATH...] [--junit FILE] [--update]: runs the tests of *.test.yaml files, one line per test,
// a diff for each failure, and `N passed, N failed`. Exit 0 all passed, 1 some failed, 2 a test file
// or a pipeline is invalid.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatError, displayPath } from '../../format-error.js';
import { align, pretty } from './diff.js';
import { prepareInput, removeInput } from './input.js';
import { findTestFiles } from './find.js';
import { reportTestsToGithub, type Failure } from './github.js';
import { judge, type Verdict } from './judge.js';
import { junitXml, type CaseResult, type SuiteResult } from './junit.js';
import { writeFileAtomically } from '../../../../steps/kit/serialize/temp-files.js';
import { loadTestFile, type TestCase, type TestFile } from './load.js';
import { runTwice } from './run-twice.js';
import { createSharedPool, type SharedPool } from '../../../execution/pool/pool.js';
import { fastPathOn } from '../../../contract/fast-paths.js';
import { updateExpectations, type Update } from './update.js';

export interface TestFlags {
  junit?: string;
  update?: boolean;
  quiet?: boolean;
}

/** How the command writes a line, and its colours (none when stdout is not a terminal). */
interface Painted {
  write: (text: string) => void;
  green: (text: string) => string;
  red: (text: string) => string;
  dim: (text: string) => string;
}

export async function testCommand(paths: string[], flags: TestFlags = {}): Promise<number> {
  const files = findTestFiles(paths);
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const [green, red, dim] = [paint('32'), paint('31'), paint('2')];
  const write = (text: string) => process.stdout.write(`${text}\n`);
  const suites: SuiteResult[] = [];
  const failures: Failure[] = [];
  let invalid: boolean;
  // The many-chunk runs of every test on two threads started once (pool.ts createSharedPool).
  const threads = fastPathOn('sharedThreads') ? createSharedPool() : undefined;
  try {
    invalid = await runFiles(files, flags, threads, { write, green, red, dim }, suites, failures);
  } finally {
    await threads?.close();
  }
  const all = suites.flatMap((s) => s.cases);
  const failed = all.filter((c) => !c.passed).length;
  write(`${all.length - failed} passed, ${failed} failed`);
  reportTestsToGithub(all.length - failed, failures);
  if (flags.junit) await writeFileAtomically(flags.junit, junitXml(suites));
  return invalid ? 2 : failed > 0 ? 1 : 0;
}

/** Each file's tests, one line each and a diff for each failure; true when a test file or a pipeline is invalid. */
async function runFiles(
  files: string[],
  flags: TestFlags,
  threads: SharedPool | undefined,
  { write, green, red, dim }: Painted,
  suites: SuiteResult[],
  failures: Failure[],
): Promise<boolean> {
  let invalid = false;
  for (const file of files) {
    const shown = displayPath(path.resolve(file));
    // With -q the file is named before its first failure only.
    let named = false;
    const name = () => {
      if (!named) write(shown);
      named = true;
    };
    if (!flags.quiet) name();
    let loaded: TestFile;
    try {
      loaded = await loadTestFile(file);
    } catch (error) {
      invalid = true;
      const body = formatError(error, readSource);
      name();
      write(`  ${red('✗')} invalid test file\n${indent(body, 6)}`);
      failures.push({ file: shown, reason: 'invalid test file', error });
      suites.push({ name: shown, cases: [{ name: 'test file', ms: 0, passed: false, failure: { type: 'error', message: 'invalid test file', body } }] });
      continue;
    }
    const cases: CaseResult[] = [];
    const updates: Update[] = [];
    for (const test of loaded.tests) {
      const { verdict, ms, update } = await runTest(loaded, test, flags.update === true, threads);
      if (update) updates.push(update);
      if (verdict.invalid) invalid = true;
      const time = dim(`(${Math.round(ms)} ms)`);
      if (verdict.passed) {
        if (!flags.quiet) write(`  ${green('✓')} ${test.name} ${time}${update ? ' updated' : ''}`);
        cases.push({ name: test.name, ms, passed: true });
        continue;
      }
      name();
      failures.push({
        file: shown,
        name: test.name,
        ...(test.location ? { location: test.location } : {}),
        reason: verdict.reason ?? 'failed',
        ...(verdict.details ? { details: verdict.details } : {}),
      });
      const details = verdict.details ? `\n${indent(colorDiff(verdict.details, green, red), 6)}` : '';
      write(`  ${red('✗')} ${test.name} ${time}\n      ${verdict.reason}${details}`);
      cases.push({ name: test.name, ms, passed: false, failure: { type: 'failure', message: verdict.reason ?? 'failed', body: verdict.details ?? '' } });
    }
    if (updates.length > 0) {
      const text = await readFile(loaded.file, 'utf8');
      await writeFileAtomically(loaded.file, updateExpectations(text, updates));
      if (!flags.quiet) write(dim(`  updated ${updates.length} expect: value${updates.length === 1 ? '' : 's'} in ${shown}`));
    }
    suites.push({ name: shown, cases });
  }
  return invalid;
}

async function runTest(file: TestFile, test: TestCase, update: boolean, threads?: SharedPool): Promise<{ verdict: Verdict; ms: number; update?: Update }> {
  const input = await prepareInput(test.input);
  try {
    const runs = await runTwice(file.pipeline, test, input.source, input.records, threads);
    const describe = (error: unknown) => formatError(error, readSource);
    const one = runs.one.result;
    // --update: the actual result becomes the expectation, if the test would then pass (both chunkings agree).
    const eligible = update && one !== undefined && !test.expectError && (test.expect !== undefined || !test.expectChecks);
    if (!eligible) return { verdict: withoutTemp(judge(test, runs, describe), input.dir), ms: runs.ms };
    const value = align(one.value, test.expect?.value);
    const verdict = withoutTemp(judge({ ...test, expect: { value } }, runs, describe), input.dir);
    const changed = test.expect === undefined || pretty(test.expect.value) !== pretty(value);
    return { verdict, ms: runs.ms, ...(verdict.passed && changed ? { update: { index: test.index, value } } : {}) };
  } finally {
    await removeInput(input);
  }
}

/** The test input's temp folder left out of the paths in messages: `input.ndjson:2`. */
function withoutTemp(verdict: Verdict, tempDir: string | undefined): Verdict {
  if (!tempDir) return verdict;
  const clean = (text: string) => text.split(`${tempDir}${path.sep}`).join('');
  return { ...verdict, ...(verdict.reason ? { reason: clean(verdict.reason) } : {}), ...(verdict.details ? { details: clean(verdict.details) } : {}) };
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${' '.repeat(n)}${line}`))
    .join('\n');
}

function colorDiff(text: string, green: (s: string) => string, red: (s: string) => string): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith('- ') ? red(line) : line.startsWith('+ ') ? green(line) : line))
    .join('\n');
}
