// flow test through the real CLI, on test files written to a temp folder: failures with a diff,
// a result that depends on the chunking, expect-error, --junit, --update, invalid files.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../../helpers/cli.js';
import { parseXml, type XmlElement } from './xml.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-test-e2e-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const delays = `source:
  step: file
  with: { path: data.ndjson }
map:
  - step: filter
    with: { where: "r.delay >= 10" }
reduce:
  step: group
  with:
    by: origin
    aggregate:
      flights: count
      mean_delay: { mean: delay }
`;

const sample = `{"origin": "SEA", "delay": 20}
{"origin": "SEA", "delay": 5}
{"origin": "LAX", "delay": 30}
{"origin": "SEA", "delay": 40}
`;

// Marks the first record each worker (each copy of the module) sees: its output depends on how the
// input was cut into chunks and which thread took them.
const firstInWorker = `let seen = false;
export default {
  kind: 'map',
  name: 'first-in-worker',
  summary: 'marks the first record a worker sees (deliberately order-dependent)',
  options: { type: 'object' },
  map(record) {
    const first = !seen;
    seen = true;
    return { ...record, first };
  },
};
`;

/** Text as the lines of a YAML block scalar, `n` spaces in. */
function indented(text: string, n: number): string {
  return `${text.trimEnd().replace(/^/gm, ' '.repeat(n))}\n`;
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1)!;
}

describe('flow test', () => {
  it('passes a right expectation and fails a wrong one with a line diff, exit 1', async () => {
    const dir = project({
      'p.yaml': delays,
      'data.ndjson': '{"origin": "X", "delay": 1}\n',
      'fixtures/few.ndjson': '{"origin": "SEA", "delay": 20}\n{"origin": "SEA", "delay": 40}\n',
      'p.test.yaml': `pipeline: p.yaml
tests:
  - name: right
    input:
      ndjson: |
${indented(sample, 8)}    expect:
      - { origin: LAX, flights: 1, mean_delay: 30 }
      - { origin: SEA, flights: 2, mean_delay: 30 }
  - name: a file beside the test file
    input: { file: fixtures/few.ndjson }
    expect: [{ origin: SEA, flights: 2, mean_delay: 30 }]
  - name: wrong
    input: { ndjson: ${JSON.stringify(sample)} }
    expect:
      - { mean_delay: 30, origin: LAX, flights: 1 }
      - { origin: SEA, flights: 3, mean_delay: 30 }
`,
    });
    const run = await runFlow(['test'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}✓ right \(\d+ ms\)$/m);
    expect(run.stdout).toMatch(/^ {2}✓ a file beside the test file \(\d+ ms\)$/m);
    expect(run.stdout).toMatch(/^ {2}✗ wrong \(\d+ ms\)$/m);
    expect(run.stdout).toContain('the result differs from expect:');
    // Key order is not a difference: only the count is.
    expect(run.stdout).toContain('-     "flights": 3,\n      +     "flights": 2,');
    expect(run.stdout).not.toContain('"mean_delay": 30,\n      +');
    expect(lastLine(run.stdout)).toBe('2 passed, 1 failed');
  });

  it('fails a test whose result depends on the chunking, showing both results', async () => {
    const dir = project({
      'steps/first-in-worker.mjs': firstInWorker,
      'p.yaml': 'source:\n  step: file\n  with: { path: data.ndjson }\nmap:\n  - step: ./steps/first-in-worker.mjs\nreduce: collect\n',
      'data.ndjson': '{"a": 0}\n',
      't/order.test.yaml': `pipeline: ../p.yaml
tests:
  - name: order dependent
    input:
      records: [{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]
    expect:
      - { a: 1, first: true }
      - { a: 2, first: false }
      - { a: 3, first: false }
      - { a: 4, first: false }
`,
    });
    const run = await runFlow(['test', 't'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ order dependent');
    expect(run.stdout).toMatch(/result depends on chunking: one chunk and 4 chunks on 2 threads differ/);
    expect(run.stdout).toContain('- one chunk\n      + 4 chunks on 2 threads');
    expect(run.stdout).toMatch(/- {5}"first": false\n {6}\+ {5}"first": true/);
    expect(lastLine(run.stdout)).toBe('0 passed, 1 failed');
  });

  it('expect-error: matches code, line, step and a part of the message; a different error fails', async () => {
    const dir = project({
      'p.yaml': delays,
      'data.ndjson': '{"origin": "X", "delay": 1}\n',
      'p.test.yaml': `pipeline: p.yaml
tests:
  - name: a bad line is named
    input: { ndjson: "{\\"delay\\": 1}\\n{oops\\n" }
    expect-error: { code: RECORD_PARSE, line: 2 }
  - name: the wrong line
    input: { ndjson: "{\\"delay\\": 1}\\n{oops\\n" }
    expect-error: { code: RECORD_PARSE, line: 1 }
  - name: no error at all
    input: { records: [{ origin: A, delay: 12 }] }
    expect-error: { message: "cannot" }
`,
    });
    const run = await runFlow(['test', 'p.test.yaml'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✓ a bad line is named/);
    expect(run.stdout).toMatch(/✗ the wrong line .*\n {6}expected an error \{ "code": "RECORD_PARSE", "line": 1 \}, got another\n/);
    // The error as flow run prints it, its temp input named by its own name and line.
    expect(run.stdout).toContain('error: source (file): invalid JSON');
    expect(run.stdout).toContain('  at input.ndjson:2\n');
    expect(run.stdout).not.toContain(os.tmpdir());
    expect(run.stdout).toMatch(/✗ no error at all .*\n {6}expected an error \{ "message": "cannot" \}, but the run succeeded/);
    expect(lastLine(run.stdout)).toBe('1 passed, 2 failed');
  });

  it('--junit FILE: one testsuite per test file, failures with message and body, XML-escaped', async () => {
    const dir = project({
      'p.yaml': delays,
      'data.ndjson': '{"origin": "X", "delay": 1}\n',
      'a.test.yaml': `pipeline: p.yaml
tests:
  - name: "passes <&> \\"quoted\\""
    input: { records: [{ origin: "<b>", delay: 10 }] }
    expect: [{ origin: "<b>", flights: 1, mean_delay: 10 }]
  - name: fails
    input: { records: [{ origin: "&", delay: 10 }] }
    expect: [{ origin: "&", flights: 2, mean_delay: 10 }]
`,
      'b.test.yaml': `pipeline: p.yaml
tests:
  - name: passes too
    input: { records: [] }
    expect: []
`,
    });
    const run = await runFlow(['test', '--junit', 'reports/junit.xml'], { cwd: dir });
    expect(run.code).toBe(1);
    const root = parseXml(readFileSync(path.join(dir, 'reports/junit.xml'), 'utf8'));
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '3', failures: '1', errors: '0' });
    const suites = root.children.filter((c) => c.name === 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([
      ['a.test.yaml', '2', '1'],
      ['b.test.yaml', '1', '0'],
    ]);
    const cases = suites[0]!.children;
    expect(cases.map((c) => c.attrs.name)).toEqual(['passes <&> "quoted"', 'fails']);
    expect(cases[0]!.children).toEqual([]);
    const failure = cases[1]!.children[0] as XmlElement;
    expect(failure.name).toBe('failure');
    expect(failure.attrs.message).toBe('the result differs from expect:');
    expect(failure.text).toContain('-     "flights": 2,\n+     "flights": 1,');
    expect(failure.text).toContain('"origin": "&"');
  });

  it('--update rewrites expect: values from the results, keeping comments and formatting, and not tests that expect errors', async () => {
    const text = `# the tests of p.yaml
pipeline: p.yaml   # beside this file
tests:
  # a list of records
  - name: groups
    input:
      ndjson: |
${indented(sample, 8)}    expect:
      - { origin: LAX, flights: 1, mean_delay: 31 }   # one record a line
      - { origin: SEA, flights: 2, mean_delay: 30 }

  - name: new
    input: { records: [{ origin: A, delay: 12 }] }
  - name: an error
    input: { ndjson: "{oops\\n" }
    expect-error: { code: RECORD_PARSE }   # kept
`;
    const dir = project({ 'p.yaml': delays, 'data.ndjson': '{"origin": "X", "delay": 1}\n', 'p.test.yaml': text });
    const run = await runFlow(['test', '--update'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ groups \(\d+ ms\) updated/);
    expect(run.stdout).toContain('updated 2 expect: values in p.test.yaml');
    expect(lastLine(run.stdout)).toBe('3 passed, 0 failed');
    const updated = readFileSync(path.join(dir, 'p.test.yaml'), 'utf8');
    expect(updated).toBe(
      text
        .replace('mean_delay: 31 }', 'mean_delay: 30 }')
        .replace(
          '    input: { records: [{ origin: A, delay: 12 }] }\n',
          '    input: { records: [{ origin: A, delay: 12 }] }\n    expect:\n      - { origin: A, flights: 1, mean_delay: 12 }\n',
        ),
    );
    // Now they pass as written.
    const again = await runFlow(['test'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('updated');
  });

  it('expect-checks: the failed checks by kind or name; a mismatch names the checks that failed, with their records', async () => {
    const dir = project({
      'p.yaml': `${delays}checks:\n  - not-null: [origin]\n  - where: "r.delay < 1000"\n    name: under a thousand\n    severity: warn\n`,
      'data.ndjson': '{"origin": "X", "delay": 1}\n',
      'p.test.yaml': `pipeline: p.yaml
tests:
  - name: a missing origin fails not-null
    input: { records: [{ origin: A, delay: 12 }, { delay: 15 }] }
    expect-checks: { failed: [not-null] }
  - name: a warning keeps the result
    input: { records: [{ origin: A, delay: 2000 }] }
    expect: [{ origin: A, flights: 1, mean_delay: 2000 }]
    expect-checks: { failed: [under a thousand] }
  - name: the wrong check
    input: { ndjson: "{\\"origin\\": \\"A\\", \\"delay\\": 12}\\n{\\"delay\\": 15}\\n" }
    expect-checks: { failed: [under a thousand] }
`,
    });
    const run = await runFlow(['test', '-q'], { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir } });
    expect(run.code).toBe(1);
    // -q: only the failure, under its file, and the closing line.
    expect(run.stdout).toMatch(/^p\.test\.yaml\n {2}✗ the wrong check \(\d+ ms\)\n {6}the failed checks differ from expect-checks:\n/);
    expect(run.stdout).toContain('      expected to fail: under a thousand\n      failed:           not-null: origin (not-null)\n');
    expect(run.stdout).toMatch(/check "not-null: origin" failed: 1 of \d+ records fails .*input\.ndjson:2/);
    expect(run.stdout).not.toContain('✓');
    expect(lastLine(run.stdout)).toBe('2 passed, 1 failed');
    // In GitHub Actions, an annotation at the failed test's place in the test file.
    expect(run.stderr).toMatch(
      /^::error file=p\.test\.yaml,line=10,col=5,title=flow test%3A the wrong check::the failed checks differ from expect-checks:%0A/m,
    );
  });

  it('gives the same lines on threads kept from test to test as on threads started for each (FLOW_NO_SHARED_THREADS)', async () => {
    const dir = project({
      'p.yaml': `${delays}checks:\n  - not-null: [origin]\n`,
      'data.ndjson': '{"origin": "X", "delay": 1}\n',
      'p.test.yaml': `pipeline: p.yaml
tests:
  - name: right
    input: { ndjson: ${JSON.stringify(sample)} }
    expect:
      - { origin: LAX, flights: 1, mean_delay: 30 }
      - { origin: SEA, flights: 2, mean_delay: 30 }
  - name: wrong
    input: { ndjson: ${JSON.stringify(sample)} }
    expect: [{ origin: SEA, flights: 3, mean_delay: 30 }]
  - name: a bad line
    input: { ndjson: "{\\"origin\\": \\"A\\", \\"delay\\": 12}\\n{oops\\n" }
    expect-error: { code: RECORD_PARSE, line: 2 }
  - name: a missing origin
    input: { records: [{ origin: A, delay: 12 }, { delay: 15 }] }
    expect-checks: { failed: [not-null] }
  - name: right again, after a failed run
    input: { ndjson: ${JSON.stringify(sample)} }
    expect:
      - { origin: LAX, flights: 1, mean_delay: 30 }
      - { origin: SEA, flights: 2, mean_delay: 30 }
`,
    });
    const withoutTimes = (text: string) => text.replace(/\(\d+ ms\)/g, '(ms)');
    const shared = await runFlow(['test'], { cwd: dir });
    const own = await runFlow(['test'], { cwd: dir, env: { FLOW_NO_SHARED_THREADS: '1' } });
    expect(shared.code).toBe(1);
    expect(lastLine(shared.stdout)).toBe('4 passed, 1 failed');
    expect(withoutTimes(shared.stdout)).toBe(withoutTimes(own.stdout));
    expect(own.code).toBe(1);
  });

  it("starts a plugin's threads for each run: a module's state does not carry from one test to the next", async () => {
    const dir = project({
      // Counts the times its module was set up: once per thread that runs it, if the thread is new.
      'steps/setups.mjs': `let setups = 0;
export default {
  kind: 'map',
  name: 'setups',
  summary: 'tags each record with the setups its module has seen',
  options: { type: 'object' },
  setup() {
    setups++;
    return {};
  },
  map: (record) => ({ ...record, setups }),
};
`,
      'p.yaml': 'source:\n  step: file\n  with: { path: data.ndjson }\nmap:\n  - step: ./steps/setups.mjs\nreduce: collect\n',
      'data.ndjson': '{"a": 0}\n',
      'p.test.yaml': `pipeline: p.yaml
tests:
${[1, 2, 3].map((n) => `  - name: run ${n}\n    input: { records: [{ a: 1 }, { a: 2 }] }\n    expect: [{ a: 1, setups: 1 }, { a: 2, setups: 1 }]\n`).join('')}`,
    });
    const run = await runFlow(['test'], { cwd: dir });
    expect(lastLine(run.stdout)).toBe('3 passed, 0 failed');
    expect(run.code).toBe(0);
  });

  it('writes nothing into the project: neither the output nor the dead-letter file', async () => {
    const dir = project({
      'p.yaml': `${delays}on-error:\n  action: dead-letter\n  dead-letter: out/rejects.ndjson\noutput:\n  step: file\n  with: { path: out/result.json }\n`,
      'data.ndjson': '{"origin": "X", "delay": 1}\n',
      'p.test.yaml': `pipeline: p.yaml
tests:
  - name: a bad line is set aside
    input: { ndjson: "{\\"origin\\": \\"A\\", \\"delay\\": 12}\\n{oops\\n" }
    expect: [{ origin: A, flights: 1, mean_delay: 12 }]
`,
    });
    const run = await runFlow(['test'], { cwd: dir });
    expect(run.stdout).toMatch(/✓ a bad line is set aside/);
    expect(run.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['data.ndjson', 'p.test.yaml', 'p.yaml']);
  });

  it('flow schema --test prints the committed schema of test files', async () => {
    const run = await runFlow(['schema', '--test']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(root, 'schemas/pipeline-test.schema.json'), 'utf8'));
    expect((await runFlow(['schema', '--test', '--report'])).code).toBe(2);
  });

  it('an invalid test file is an error at its line:col, exit 2', async () => {
    const dir = project({
      'p.yaml': delays,
      'data.ndjson': '{"origin": "X", "delay": 1}\n',
      'p.test.yaml': 'pipeline: p.yaml\ntests:\n  - name: typo\n    expcet: 3\n',
    });
    const run = await runFlow(['test'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('✗ invalid test file');
    expect(run.stdout).toMatch(/p\.test\.yaml:4:5 error: tests\[0\]\.expcet: unknown key `expcet`/);
    expect(run.stdout).toContain('did you mean `expect`?');
    expect(lastLine(run.stdout)).toBe('0 passed, 1 failed');
  });

  it('a pipeline that is invalid for a test exits 2; a folder without test files is a command-line error', async () => {
    const dir = project({
      'p.yaml': delays.replace('r.delay >= 10', 'r.delay >= params.nope'),
      'data.ndjson': '{"origin": "X", "delay": 1}\n',
      'p.test.yaml': 'pipeline: p.yaml\ntests:\n  - name: runs\n    input: { records: [] }\n    expect: []\n',
      'empty/README.md': 'nothing here\n',
    });
    const run = await runFlow(['test'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/✗ runs .*\n {6}the run failed\n {6}p\.yaml:6:/);
    const none = await runFlow(['test', 'empty'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no test files (*.test.yaml) under empty');
  });
});
