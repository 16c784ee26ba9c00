import { describe, expect, it } from 'vitest';
import { repeated } from '../../../../steps/source-file/readers/repeated-keys.js';

/** The raw keys of a flat line as the scanner finds them: the text between each pair of quotes before a ':'. */
function keys(line: string): { froms: number[]; tos: number[] } {
  const froms: number[] = [];
  const tos: number[] = [];
  for (const m of line.matchAll(/"([^"]*)":/g)) {
    froms.push(m.index + 1);
    tos.push(m.index + 1 + m[1]!.length);
  }
  return { froms, tos };
}

describe('repeated', () => {
  it('finds two keys of the same text, few or many, and no others', () => {
    const check = (line: string) => {
      const { froms, tos } = keys(line);
      return repeated(line, froms, tos);
    };
    expect(check('{"a":1,"b":2,"ab":3,"ba":4}')).toBe(false);
    expect(check('{"a":1,"b":2,"a":3}')).toBe(true);
    expect(check('{"date":1,"dest":2,"dist":3}')).toBe(false);
    expect(check('{"":1,"x":2,"":3}')).toBe(true);
    // Past 16 keys a Set does the work: the same answers.
    const many = Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`);
    expect(check(`{${many.join(',')}}`)).toBe(false);
    expect(check(`{${[...many, '"k39":0'].join(',')}}`)).toBe(true);
  });
});
