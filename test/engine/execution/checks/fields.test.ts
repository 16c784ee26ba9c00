// The checks' generated field reads give what fieldReader gives, for any name and any record.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileNotNull, compileReader } from '../../../../engine/execution/checks/fields.js';
import { fieldReader } from '../../../../steps/kit/record.js';

// Names a user may write, those Object.prototype has, and ones that need escaping in code.
const name = fc.oneof(
  fc.constantFrom('a', 'b', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'a b', 'x"y', 'back\\slash', 'line\nbreak', '\u2028', ''),
  fc.string({ maxLength: 6 }),
);
const value = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.string({ maxLength: 3 }), fc.boolean());
const record = fc.oneof(
  fc.dictionary(name, value, { maxKeys: 4 }).map((d) => JSON.parse(JSON.stringify(d, (_, v: unknown) => (v === undefined ? null : v))) as unknown),
  fc.dictionary(name, value, { maxKeys: 4 }),
  fc.constantFrom(null, 'text', 3, [1, 2], {}),
);

describe('generated field reads', () => {
  it('read a field as fieldReader does', () => {
    fc.assert(
      fc.property(name, record, (n, r) => {
        expect(compileReader(n)(r)).toBe(fieldReader(n)(r));
      }),
      { numRuns: 1000 },
    );
  });

  it('not-null holds exactly when no field reads as null or missing', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 3 }), record, (names, r) => {
        expect(compileNotNull(names)(r)).toBe(names.every((n) => fieldReader(n)(r) != null));
      }),
      { numRuns: 1000 },
    );
  });

  it('an own "__proto__" field is read; the prototype is not', () => {
    const r = JSON.parse('{"__proto__": 5}') as unknown;
    expect(compileReader('__proto__')(r)).toBe(5);
    expect(compileReader('__proto__')({})).toBeUndefined();
    expect(compileNotNull(['constructor'])({})).toBe(false);
  });
});
