// fieldSpan: where an expression reads a top-level field of r.
import { describe, expect, it } from 'vitest';
import { fieldSpan } from '../../../../engine/planning/fields/spans.js';

const at = (source: string, name: string) => {
  const span = fieldSpan(source, name);
  return span && source.slice(span.start, span.end);
};

describe('fieldSpan', () => {
  it('finds r.name and r["name"], the first in source order', () => {
    expect(fieldSpan('r.temp_maxx > 30', 'temp_maxx')).toEqual({ start: 2, end: 11 });
    expect(at('r["a b"] + r.x', 'a b')).toBe('"a b"');
    expect(fieldSpan('r.a > 1 && (r.b < r.a)', 'a')).toEqual({ start: 2, end: 3 });
    expect(fieldSpan('f(r.x) || r.y.x', 'x')).toEqual({ start: 4, end: 5 });
  });

  it('ignores nested fields, other objects and what does not parse', () => {
    expect(fieldSpan('r.y.x', 'x')).toBeUndefined();
    expect(fieldSpan('Math.max', 'max')).toBeUndefined();
    expect(fieldSpan('r.x >', 'x')).toBeUndefined();
    expect(fieldSpan('r', 'r')).toBeUndefined();
  });
});
