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
    expect(run('{"date":null,"delay":"x","origin":1e400,"ok":null,"delay":false}', keys, slots, ['origin', 'delay', 'ok'])).toStrictEqual({
      origin: Infinity,
      delay: false,
      ok: null,
    });
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
