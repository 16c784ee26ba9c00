import { describe, expect, it } from 'vitest';
import { compileShape } from '../../../../steps/source-file/readers/ndjson-shape.js';

function run(line: string, keys: string[], slots: number[], fields: string[]): unknown {
  const shape = compileShape(keys, slots, fields);
  shape.re.lastIndex = 0;
  const m = shape.re.exec(line);
  return m !== null && shape.re.lastIndex === line.length ? shape.make(m) : 'no match';
}

describe('compileShape', () => {
  it('matches compact lines of its keys and builds the wanted fields in the order asked for', () => {
    const keys = ['date', 'delay', 'origin', 'ok', 'delay'];
    const slots = [-1, 1, 0, 2, 1];
    expect(run('{"date":"2001","delay":1,"origin":"SEA","ok":true,"delay":-0}', keys, slots, ['origin', 'delay', 'ok'])).toStrictEqual({
      origin: 'SEA',
      delay: -0,
      ok: true,
    });
    expect(run('{"date":null,"delay":"x","origin":1e99,"ok":null,"delay":false}', keys, slots, ['origin', 'delay', 'ok'])).toStrictEqual({
      origin: 1e99,
      delay: false,
      ok: null,
    });
  });

  it('leaves numbers that may be past 2^53 or past a double to the scanner', () => {
    for (const n of ['1e400', '1e100', '1234567890123456', '-9007199254740993', '0.5e-400']) {
      expect(run(`{"a":${n},"b":1}`, ['a', 'b'], [0, 1], ['a', 'b'])).toBe('no match');
    }
    // A skipped number may be long: only its size matters, not its digits.
    expect(run('{"a":12345678901234567890,"b":1}', ['a', 'b'], [-1, 0], ['b'])).toStrictEqual({ b: 1 });
    expect(run('{"a":1e400,"b":1}', ['a', 'b'], [-1, 0], ['b'])).toBe('no match');
  });

  it('leaves blanks, escapes, nested values and other keys to the scanner', () => {
    const keys = ['a.b', 'c'];
    for (const line of ['{"a.b":1, "c":2}', '{"a.b":"\\n","c":2}', '{"a.b":[1],"c":2}', '{"aXb":1,"c":2}', '{"a.b":1,"c":2,"d":3}', '{"a.b":1,"c":02}']) {
      expect(run(line, keys, [-1, 0], ['c'])).toBe('no match');
    }
  });

  it('makes __proto__ an own field', () => {
    const got = run('{"__proto__":"p"}', ['__proto__'], [0], ['__proto__']) as object;
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(got, '__proto__')?.value).toBe('p');
  });
});
