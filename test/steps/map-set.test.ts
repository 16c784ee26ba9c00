import { describe, expect, it } from 'vitest';
import set from '../../steps/map-set.js';
import select from '../../steps/map-select.js';
import { FlowError } from '../../engine/contract/errors.js';
import { checkDefinition } from './reduce-harness.js';
import { runMap } from './map-harness.js';

describe('set', () => {
  it('is a valid step definition', () => checkDefinition(set));

  it('adds and overwrites fields', () => {
    const out = runMap(set, { fields: { late: 'r.delay > 15', delay: 'r.delay * 60' } }, [
      { id: 1, delay: 20 },
      { id: 2, delay: 5 },
    ]);
    expect(out).toEqual([
      { id: 1, delay: 1200, late: true },
      { id: 2, delay: 300, late: false },
    ]);
  });

  it('evaluates every expression on the incoming record, so fields can swap', () => {
    expect(runMap(set, { fields: { a: 'r.b', b: 'r.a' } }, [{ a: 1, b: 2 }])).toEqual([{ a: 2, b: 1 }]);
  });

  it('sets null for undefined, and "__proto__" as an own field', () => {
    const [out] = runMap(set, JSON.parse('{"fields": {"x": "r.nope", "__proto__": "1"}}'), [{}]) as object[];
    expect(JSON.stringify(out)).toBe('{"x":null,"__proto__":1}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('rejects a record that is not an object, naming the value', () => {
    for (const bad of [3, null, 'x', [1]]) expect(() => runMap(set, { fields: { a: '1' } }, [bad])).toThrow(FlowError);
    expect(() => runMap(set, { fields: { a: '1' } }, [[1, 2]])).toThrow('set: the record is [1,2] (an array); set works on object records');
  });

  it('check() reports each field at its own path, pointing inside its expression', () => {
    expect(set.check!({ fields: { ok: 'r.a', hour: 'Math.flor(r.t)', bad: 'r.x +' } })).toEqual([
      { path: 'fields.hour', code: 'EXPR_UNKNOWN_FUNCTION', message: 'unknown function "Math.flor"', offset: 0, length: 9, hint: 'did you mean "Math.floor"?' },
      { path: 'fields.bad', code: 'EXPR_SYNTAX', message: 'unexpected end of expression', offset: 5, length: 1, hint: 'expected a value after "+"' },
    ]);
  });

  it("reads the union of its expressions' fields", () => {
    expect(set.fields!({ fields: { a: 'r.x + r.y', b: 'r.y' } })).toEqual(['x', 'y']);
    expect(set.fields!({ fields: { a: 'r.x', b: 'r[r.k]' } })).toBeUndefined();
  });
});

describe('select', () => {
  it('is a valid step definition', () => checkDefinition(select));

  it('keeps only the named fields, in the order given, null when missing', () => {
    const out = runMap(select, { fields: ['c', 'a', 'zz'] }, [{ a: 1, b: 2, c: 3 }]);
    expect(out).toEqual([{ c: 3, a: 1, zz: null }]);
    expect(Object.keys(out[0] as object)).toEqual(['c', 'a', 'zz']);
  });

  it('does not read prototype members as fields', () => {
    const [out] = runMap(select, { fields: ['constructor', '__proto__', 'toString'] }, [JSON.parse('{"__proto__": 7}')]) as object[];
    expect(JSON.stringify(out)).toBe('{"constructor":null,"__proto__":7,"toString":null}');
  });

  it('rejects a record that is not an object', () => {
    expect(() => runMap(select, { fields: ['a'] }, [5])).toThrow('select: the record is 5 (a number); select works on object records');
  });

  it('reads exactly its fields', () => expect(select.fields!({ fields: ['b', 'a'] })).toEqual(['b', 'a']));
});
