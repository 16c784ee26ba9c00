import { describe, expect, it } from 'vitest';
import { ndjsonEncoder } from '../../../../steps/kit/serialize/index.js';

describe('ndjson encoder', () => {
  it('writes one compact value per line, newline-terminated', () => {
    const enc = ndjsonEncoder();
    const text = enc.batch([{ a: 1, b: 'x\ny' }, 2n ** 70n, null]) + enc.batch([]) + enc.batch(['é']) + enc.end();
    expect(text).toBe('{"a":1,"b":"x\\ny"}\n1180591620717411303424\nnull\n"é"\n');
  });

  it('writes a single result as one line and an array result as its items', () => {
    expect(ndjsonEncoder().value({ mean: 0.5 })).toBe('{"mean":0.5}\n');
    expect(ndjsonEncoder().value([1, [2]])).toBe('1\n[2]\n');
  });

  it('writes nothing for no records', () => {
    const enc = ndjsonEncoder();
    expect(enc.batch([]) + enc.end()).toBe('');
  });

  it('writes NaN and Infinity as null, like json', () => {
    expect(ndjsonEncoder().batch([NaN, { x: Infinity }])).toBe('null\n{"x":null}\n');
  });
});
