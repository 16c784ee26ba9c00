import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowError, FlowErrors } from '../../../engine/contract/errors.js';
import { FRAME_WIDTH, displayPath, formatError } from '../../../engine/cli/format-error.js';
import { preparePipeline } from '../../../engine/planning/prepare.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', 'fixtures');
const read = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

async function failure(name: string): Promise<unknown> {
  return preparePipeline(path.join(fixtures, name, 'pipeline.yaml'), { env: {} }).catch((e: unknown) => e);
}

describe('formatError', () => {
  it('prints a located error like a compiler, caret run under the bad text', async () => {
    const err = await failure('unknown-step');
    const file = displayPath(path.join(fixtures, 'unknown-step', 'pipeline.yaml'));
    expect(file).toBe(path.join('test', 'fixtures', 'unknown-step', 'pipeline.yaml'));
    expect(formatError(err, read)).toBe(
      [
        `${file}:2:9 error: source.step: no source step named "rnage"`,
        '    2 |   step: rnage',
        '      |         ^^^^^',
        '  hint: did you mean `range`?',
        '',
        `${file}:5:11 error: map[0].step: no map step named "filtr"`,
        '    5 |   - step: filtr',
        '      |           ^^^^^',
        '  hint: did you mean `filter`?',
        '',
        `${file}:8:9 error: reduce.step: no reduce step named "Count"`,
        '    8 |   step: Count',
        '      |         ^^^^^',
        '  hint: did you mean `count`?',
      ].join('\n'),
    );
  });

  it('points inside an expression string', async () => {
    const err = (await failure('bad-expression-unknown-function')) as FlowErrors;
    const text = formatError(err.errors[0], read);
    expect(text.split('\n').slice(1, 3)).toEqual([
      '    8 |     with: { where: "r >= ${{ params.min_delay }} && evall(r)" }',
      '      |                                                     ^^^^^',
    ]);
  });

  it('prints a run-time error with its step and record origin, without a frame', () => {
    const err = new FlowError({
      code: 'BAD_RECORD',
      message: 'delay is not a number',
      step: 'map[1] (filter)',
      record: { file: path.resolve('data/x.ndjson'), line: 1234 },
    });
    expect(formatError(err, read)).toBe('error: map[1] (filter): delay is not a number\n  at data/x.ndjson:1234');
  });

  it('prints the header alone when the source cannot be read, and keeps tabs under tabs', () => {
    const gone = new FlowError({ code: 'YAML_SYNTAX', message: 'bad', location: { file: '/gone.yaml', line: 3, column: 2 } });
    expect(formatError(gone, () => undefined)).toBe('/gone.yaml:3:2 error: bad');
    const tabbed = new FlowError({ code: 'YAML_SYNTAX', message: 'tab', location: { file: '/t.yaml', line: 1, column: 3, length: 2 } });
    expect(formatError(tabbed, () => '\tab: c\n')).toBe('/t.yaml:1:3 error: tab\n    1 | \tab: c\n      | \t ^^');
  });

  it('windows a long source line around the column, caret still under the right character', () => {
    // A 5 MB line: the frame shows FRAME_WIDTH characters of it, cut sides marked with …
    const line = `${'a'.repeat(2_500_000)}XYZ${'b'.repeat(2_500_000)}`;
    const at = new FlowError({ code: 'YAML_SYNTAX', message: 'here', location: { file: '/big', line: 2, column: 2_500_001, length: 3 } });
    const [, shown, carets] = formatError(at, () => `first\n${line}\n`).split('\n') as [string, string, string];
    const text = shown.slice('    2 | '.length);
    expect(text.startsWith('…a')).toBe(true);
    expect(text.endsWith('b…')).toBe(true);
    expect(text.length).toBe(FRAME_WIDTH + 2);
    const caret = carets.indexOf('^');
    expect(shown.slice(caret, caret + 3)).toBe('XYZ');
    expect(carets.slice(caret)).toBe('^^^');
    // Near either end only that side is cut.
    const head = new FlowError({ code: 'YAML_SYNTAX', message: 'x', location: { file: '/big', line: 1, column: 3 } });
    const start = formatError(head, () => `ab!${'c'.repeat(500)}`).split('\n');
    expect(start[1]).toBe(`    1 | ab!${'c'.repeat(FRAME_WIDTH - 3)}…`);
    expect(start[2]).toBe('      |   ^');
    const tail = new FlowError({ code: 'YAML_SYNTAX', message: 'x', location: { file: '/big', line: 1, column: 501 } });
    const end = formatError(tail, () => `${'c'.repeat(500)}!d`).split('\n');
    expect(end[1]).toBe(`    1 | …${'c'.repeat(FRAME_WIDTH - 2)}!d`);
    expect(end[2]).toBe(`      | ${' '.repeat(FRAME_WIDTH - 1)}^`);
  });

  it('colours on request only', () => {
    const err = new FlowError({ code: 'BAD_ARGS', message: 'no file' });
    expect(formatError(err, read)).toBe('error: no file');
    expect(formatError(err, read, { color: true })).toContain('\x1b[');
  });

  it('prints anything that is not a FlowError in full, as a bug', () => {
    const bug = new TypeError('x is undefined');
    const text = formatError(bug, read);
    expect(text).toContain('this is a bug in flow');
    expect(text).toContain(bug.stack!);
    expect(formatError('thrown string', read)).toContain('thrown value: thrown string');
  });
});
