// formatWarnings: a run's warnings on stderr like errors, with the code frame and the hint.
import { describe, expect, it } from 'vitest';
import { formatWarnings } from '../../../engine/cli/warnings.js';

const pipeline = 'source: { step: file, with: { path: a.ndjson } }\nreduce:\n  step: group\n  with: { by: orgin }\n';
const read = (file: string) => (file === '/p/pipeline.yaml' ? pipeline : undefined);

describe('formatWarnings', () => {
  it('prints each warning at its place with the line, a caret run and the hint', () => {
    const text = formatWarnings(
      [
        {
          code: 'UNKNOWN_FIELD',
          message: 'no record has a field "orgin" (reduce.with.by)',
          step: 'reduce (group)',
          location: { file: '/p/pipeline.yaml', line: 4, column: 15, length: 5 },
          hint: 'did you mean `origin`? (a field the records have)',
        },
        { code: 'X', message: 'something else' },
      ],
      read,
    );
    expect(text).toBe(
      [
        '/p/pipeline.yaml:4:15 warning: reduce (group): no record has a field "orgin" (reduce.with.by)',
        '    4 |   with: { by: orgin }',
        '      |               ^^^^^',
        '  hint: did you mean `origin`? (a field the records have)',
        '',
        'warning: something else',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing without warnings, and colours only when asked', () => {
    expect(formatWarnings(undefined, read)).toBe('');
    expect(formatWarnings([], read)).toBe('');
    expect(formatWarnings([{ code: 'X', message: 'm' }], read, true)).toBe('\x1b[1;33mwarning\x1b[0m\x1b[1m: m\x1b[0m\n');
  });
});
