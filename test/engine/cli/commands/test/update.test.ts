import { describe, expect, it } from 'vitest';
import { updateExpectations } from '../../../../../engine/cli/commands/test/update.js';

const file = `# tests
pipeline: p.yaml # the pipeline
tests:
  - name: records   # first
    expect:
      - { origin: LAX, flights: 1 }   # one record a line
      - { origin: SEA, flights: 2 }

  - name: scalar
    expect: 5 # five
  - name: empty
    expect:
  - name: missing
    input: { records: [1] }
  - name: block
    expect:
      - 1
      - 2
`;

describe('updateExpectations', () => {
  it('changes only the values that differ, keeping every comment and blank line', () => {
    const out = updateExpectations(file, [
      {
        index: 0,
        value: [
          { origin: 'LAX', flights: 1 },
          { origin: 'SEA', flights: 3 },
        ],
      },
    ]);
    expect(out).toBe(file.replace('{ origin: SEA, flights: 2 }', '{ origin: SEA, flights: 3 }'));
  });

  it('replaces a value of another shape whole, in the style it was written in', () => {
    expect(updateExpectations(file, [{ index: 1, value: [1, 2] }])).toBe(file.replace('expect: 5 # five', 'expect: [1, 2] # five'));
    expect(updateExpectations(file, [{ index: 4, value: ['a', 'b c', 3] }])).toBe(
      file.replace('      - 1\n      - 2\n', '      - a\n      - b c\n      - 3\n'),
    );
    expect(updateExpectations(file, [{ index: 0, value: [{ origin: 'X' }] }])).toBe(
      file.replace('      - { origin: LAX, flights: 1 }   # one record a line\n      - { origin: SEA, flights: 2 }\n', '      - { origin: X }\n'),
    );
  });

  it('fills an empty expect: and adds a missing one as the last key, a list of records one a line', () => {
    expect(updateExpectations(file, [{ index: 2, value: { a: 1 } }])).toBe(
      file.replace('  - name: empty\n    expect:\n', '  - name: empty\n    expect: { a: 1 }\n'),
    );
    expect(updateExpectations(file, [{ index: 3, value: [{ n: 1 }, { n: 2 }] }])).toBe(
      file.replace('    input: { records: [1] }\n', '    input: { records: [1] }\n    expect:\n      - { n: 1 }\n      - { n: 2 }\n'),
    );
  });

  it('puts records that replace a value on the key line (`expect: []`) on lines of their own', () => {
    expect(updateExpectations(file, [{ index: 1, value: [{ n: 1 }, { n: 2 }] }])).toBe(
      file.replace('    expect: 5 # five\n', '    expect:\n      - { n: 1 }\n      - { n: 2 } # five\n'),
    );
  });

  it('writes integers past 2^53 exactly, and leaves equal values alone', () => {
    expect(updateExpectations(file, [{ index: 1, value: 333332833333500000n }])).toBe(file.replace('expect: 5', 'expect: 333332833333500000'));
    expect(updateExpectations(file, [{ index: 1, value: 5 }])).toBe(file);
  });

  it('applies several updates to one file', () => {
    const out = updateExpectations(file, [
      { index: 1, value: 6 },
      { index: 4, value: [1, 3] },
    ]);
    expect(out).toBe(file.replace('expect: 5', 'expect: 6').replace('      - 2\n', '      - 3\n'));
  });
});
