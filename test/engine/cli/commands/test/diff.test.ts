import { describe, expect, it } from 'vitest';
import { align, lineDiff, pretty } from '../../../../../engine/cli/commands/test/diff.js';

describe('pretty', () => {
  it('prints JSON two spaces deep, BigInt as its digits, NaN and undefined as null', () => {
    expect(pretty({ a: [1, 333332833333500000n], b: {}, c: [], d: 'x"y' })).toBe(
      '{\n  "a": [\n    1,\n    333332833333500000\n  ],\n  "b": {},\n  "c": [],\n  "d": "x\\"y"\n}',
    );
    expect(pretty([NaN, undefined, null])).toBe('[\n  null,\n  null,\n  null\n]');
    expect(pretty({ gone: undefined, kept: 1 })).toBe('{\n  "kept": 1\n}');
    // A BigInt and a number of the same integer print alike: YAML integers read as BigInt compare with numeric results.
    expect(pretty(20n)).toBe(pretty(20));
  });
});

describe('align', () => {
  it("orders the actual value's keys as the expected value has them, the others after, in lists too", () => {
    const actual = [{ c: 3, a: 1, b: { y: 2, x: 1 } }, { z: 1 }];
    const expected = [{ a: 0, b: { x: 0, y: 0 }, c: 0 }];
    expect(JSON.stringify(align(actual, expected))).toBe('[{"a":1,"b":{"x":1,"y":2},"c":3},{"z":1}]');
    expect(JSON.stringify(align({ b: 1, extra: 2, a: 3 }, { a: 0, b: 0 }))).toBe('{"a":3,"b":1,"extra":2}');
    expect(align(5, { a: 1 })).toBe(5);
  });
});

describe('lineDiff', () => {
  it('marks lines only in the expected text with -, only in the actual with +, with 3 lines of context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].join('\n');
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i'].join('\n');
    expect(lineDiff(before, after)).toBe(['- expected', '+ actual', '  ...', '  b', '  c', '  d', '- e', '+ E', '  f', '  g', '  h', '  ...'].join('\n'));
  });

  it('shows an insertion and a deletion as such, and names its sides', () => {
    expect(lineDiff('x\ny', 'x\nnew\ny', ['one chunk', 'many'])).toBe('- one chunk\n+ many\n  x\n+ new\n  y');
    expect(lineDiff('x\nold\ny', 'x\ny')).toBe('- expected\n+ actual\n  x\n- old\n  y');
  });

  it('shows both texts whole past its size limit', () => {
    const big = Array.from({ length: 3000 }, (_, i) => String(i)).join('\n');
    const text = lineDiff(big, `${big}\nmore`);
    expect(text.split('\n')).toHaveLength(2 + 3000 + 3001);
  });
});
