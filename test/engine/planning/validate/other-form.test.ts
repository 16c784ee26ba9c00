import { describe, expect, it } from 'vitest';
import { checksSchema } from '../../../../engine/planning/checks/schema.js';
import { optionValidator, schemaErrors } from '../../../../engine/planning/validate/schema-errors.js';

function errors(checks: unknown[]) {
  const validate = optionValidator(checksSchema);
  expect(validate(checks)).toBe(false);
  return schemaErrors(validate.errors, checks, ['checks'], undefined).map((e) => ({ path: e.path, code: e.code, message: e.message, hint: e.hint }));
}

describe('a mapping written in another form', () => {
  it('is one error saying what the mapping takes, not one per missing and unknown key', () => {
    expect(errors([{ 'values-in': { weather: ['sun', 'rain'] } }])).toEqual([
      {
        path: 'checks[0].values-in',
        code: 'UNKNOWN_KEY',
        message: 'expected a mapping with `field` and `values`, got one with `weather`',
        hint: 'allowed keys: field, values',
      },
    ]);
  });

  it('keeps the separate errors of a mapping that has some of its keys', () => {
    expect(errors([{ 'values-in': { field: 'weather', vals: ['sun'] } }]).map((e) => [e.code, e.path])).toEqual([
      ['MISSING_KEY', 'checks[0].values-in.values'],
      ['UNKNOWN_KEY', 'checks[0].values-in.vals'],
    ]);
  });

  it('keeps a did-you-mean of a misspelt key', () => {
    expect(errors([{ 'values-in': { feild: 'weather', values: ['sun'] } }]).map((e) => [e.code, e.path, e.hint])).toEqual([
      ['UNKNOWN_KEY', 'checks[0].values-in.feild', 'did you mean `field`?'],
    ]);
  });
});
