import { describe, expect, it } from 'vitest';
import { optionValidator, schemaErrors } from '../../../../engine/planning/validate/schema-errors.js';
import group from '../../../../steps/reduce-group.js';

function errors(options: object) {
  const validate = optionValidator(group.options);
  expect(validate(options)).toBe(false);
  return schemaErrors(validate.errors, options, ['reduce', 'with'], undefined).map((e) => ({ path: e.path, code: e.code, message: e.message, hint: e.hint }));
}

describe('schemaErrors for a choice (oneOf)', () => {
  it('gives a near miss of a word a short message and a did-you-mean, abbreviations included', () => {
    expect(errors({ by: 'k', aggregate: { n: 'cnt' } })).toEqual([
      { path: 'reduce.with.aggregate.n', code: 'INVALID_VALUE', message: 'unknown value "cnt"', hint: 'did you mean `count`?' },
    ]);
    expect(errors({ by: 'k', aggregate: { n: 'coutn' } })[0]!.hint).toBe('did you mean `count`?');
  });

  it('names a misspelt key of a keyed branch at the key', () => {
    expect(errors({ by: 'k', aggregate: { m: { maen: 'x' } } })).toEqual([
      { path: 'reduce.with.aggregate.m.maen', code: 'UNKNOWN_KEY', message: 'unknown key `maen`', hint: 'did you mean `mean`?' },
    ]);
  });

  it("reports the chosen branch's own error, each aggregate at its own path", () => {
    expect(errors({ by: 'k', aggregate: { s: { sum: 3 }, n: 'cnt' } }).map((e) => [e.path, e.message])).toEqual([
      ['reduce.with.aggregate.s.sum', 'expected a string, got the integer 3'],
      ['reduce.with.aggregate.n', 'unknown value "cnt"'],
    ]);
  });

  it('keeps the full list of choices when nothing is near', () => {
    expect(errors({ by: 'k', aggregate: { z: 5 } })[0]!.message).toBe(
      'expected "count", or a mapping with `sum`, or a mapping with `mean`, or a mapping with `min`, or a mapping with `max`, got the integer 5',
    );
  });
});
