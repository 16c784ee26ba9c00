// --junit FILE: JUnit XML (one testsuite per test file), written atomically like an output.

export interface CaseResult {
  name: string;
  ms: number;
  passed: boolean;
  /** failure: the test ran and failed; error: it could not run (an invalid test file). */
  failure?: { type: 'failure' | 'error'; message: string; body: string };
}

export interface SuiteResult {
  /** The test file, as the output names it. */
  name: string;
  cases: CaseResult[];
}

export function junitXml(suites: SuiteResult[]): string {
  const count = (cases: CaseResult[], type: string) => cases.filter((c) => c.failure?.type === type).length;
  const all = suites.flatMap((s) => s.cases);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="flow test" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" time="${seconds(total(all))}">`,
  ];
  for (const suite of suites) {
    const attrs = `name="${xml(suite.name, true)}" tests="${suite.cases.length}" failures="${count(suite.cases, 'failure')}" errors="${count(suite.cases, 'error')}" time="${seconds(total(suite.cases))}"`;
    lines.push(`  <testsuite ${attrs}>`);
    for (const c of suite.cases) {
      const head = `    <testcase name="${xml(c.name, true)}" classname="${xml(suite.name, true)}" time="${seconds(c.ms)}"`;
      if (!c.failure) {
        lines.push(`${head}/>`);
        continue;
      }
      lines.push(
        `${head}>`,
        `      <${c.failure.type} message="${xml(c.failure.message, true)}">${xml(c.failure.body)}</${c.failure.type}>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function total(cases: CaseResult[]): number {
  return cases.reduce((sum, c) => sum + c.ms, 0);
}

/** Text as XML character data or (attribute) an attribute value; characters XML 1.0 cannot hold (terminal colours) are dropped. */
export function xml(text: string, attribute = false): string {
  const escaped = text
    // eslint-disable-next-line no-control-regex -- a terminal colour, ESC [ ... m
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
  // A parser turns a raw newline in an attribute into a space.
  return attribute ? escaped.replace(/\n/g, '&#10;').replace(/\t/g, '&#9;') : escaped;
}
