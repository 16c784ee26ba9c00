import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { jsonEncoder, toJson } from '../../../../steps/kit/serialize/index.js';

const encode = (calls: Array<['batch', unknown[]] | ['value', unknown]>): string => {
  const enc = jsonEncoder();
  let text = '';
  for (const [kind, arg] of calls) text += kind === 'batch' ? enc.batch(arg as unknown[]) : enc.value(arg);
  return text + enc.end();
};

describe('toJson', () => {
  it('prints BigInt as an exact bare integer, nested too', () => {
    expect(toJson(333332833333500000n)).toBe('333332833333500000');
    expect(toJson({ sum: 333332833333500000n, xs: [1n, -2n], s: 'a"b' })).toBe('{"sum":333332833333500000,"xs":[1,-2],"s":"a\\"b"}');
  });

  it('follows JSON.stringify for the rest, in the BigInt path as well', () => {
    const tricky = { n: NaN, i: -Infinity, u: undefined, f: () => 1, arr: [undefined, NaN, () => 1], d: new Date(0), z: -0 };
    expect(toJson(tricky)).toBe(JSON.stringify(tricky));
    expect(toJson({ ...tricky, big: 1n })).toBe(JSON.stringify(tricky).slice(0, -1) + ',"big":1}');
  });

  it('keeps unicode as is and escapes control characters', () => {
    expect(toJson({ clé: 'naïve ☃ 😀', nl: 'a\nb\u0001' })).toBe('{"clé":"naïve ☃ 😀","nl":"a\\nb\\u0001"}');
  });

  it('writes a lone undefined as null', () => {
    expect(toJson(undefined)).toBe('null');
  });

  it('reports a circular value as a FlowError, not a crash', () => {
    const a: Record<string, unknown> = { big: 1n };
    a.self = a;
    expect(() => toJson(a)).toThrow(FlowError);
    const b: Record<string, unknown> = {};
    b.self = b;
    const error = (() => {
      try {
        toJson(b);
      } catch (e) {
        return e;
      }
    })() as FlowError;
    expect(error.code).toBe('BAD_RECORD');
  });
});

describe('json encoder', () => {
  it('writes a non-array result followed by a newline', () => {
    expect(encode([['value', 42]])).toBe('42\n');
    expect(encode([['value', 0.5]])).toBe('0.5\n');
    expect(encode([['value', { a: 1 }]])).toBe('{"a":1}\n');
    expect(encode([['value', 333332833333500000n]])).toBe('333332833333500000\n');
    expect(encode([['value', null]])).toBe('null\n');
  });

  it('streams records as an array, one element per line, across batches', () => {
    expect(
      encode([
        ['batch', [1, { a: 'x' }]],
        ['batch', []],
        ['batch', [[2, 3]]],
      ]),
    ).toBe('[\n  1,\n  {"a":"x"},\n  [2,3]\n]\n');
  });

  it('writes an array result exactly like the same records streamed', () => {
    expect(encode([['value', [1, 2]]])).toBe(
      encode([
        ['batch', [1]],
        ['batch', [2]],
      ]),
    );
  });

  it('writes an empty array when nothing came', () => {
    expect(encode([])).toBe('[]\n');
    expect(encode([['batch', []]])).toBe('[]\n');
    expect(encode([['value', []]])).toBe('[]\n');
  });

  it('refuses to mix a single value with records', () => {
    const enc = jsonEncoder();
    enc.value(1);
    expect(() => enc.batch([2])).toThrow(/after a single value/);
  });
});
