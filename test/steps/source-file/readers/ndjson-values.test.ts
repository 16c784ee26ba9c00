import { describe, expect, it } from 'vitest';
import { FAIL, value, ws } from '../../../../steps/source-file/readers/ndjson-values.js';

describe('value', () => {
  it('scans a scalar at i, storing it when wanted, and leaves the rest to JSON.parse', () => {
    const st = { values: [undefined] as unknown[] };
    const at = (text: string, k = 0) => value(st, text, 0, text.length, k);
    expect([at('"abc",'), st.values[0]]).toEqual([5, 'abc']);
    expect([at('"a\\"b"}'), st.values[0]]).toEqual([6, 'a"b']);
    expect([at('-12.5e1,'), st.values[0]]).toEqual([7, -125]);
    expect([at('9007199254740993}'), st.values[0]]).toEqual([16, 9007199254740993n]);
    expect([at('true'), st.values[0]]).toEqual([4, true]);
    expect([at('null', -1), st.values[0]]).toEqual([4, true]); // not wanted: left as it was
    for (const other of ['{"a":1}', '[1]', '1e400', '01', '-', '"\\x"', 'tru']) {
      const end = at(other);
      expect(end === FAIL || end < other.length, other).toBe(true);
    }
    expect(ws(' \t\r\nx', 0, 5)).toBe(4);
  });
});
