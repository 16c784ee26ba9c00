import { describe, expect, it } from 'vitest';
import { holdsUnknown, isUnknownValue, offlineIssues, offlineKnown } from '../../../../engine/planning/validate/offline.js';
import { compileSchema } from '../../../../engine/planning/validate/validators.js';

describe('offline validation', () => {
  it('treats a value still holding a placeholder as unknown', () => {
    expect(isUnknownValue('${{ env.X }}')).toBe(true);
    expect(isUnknownValue('data/${{ env.X }}.csv')).toBe(true);
    expect(isUnknownValue('data/x.csv')).toBe(false);
    expect(isUnknownValue(3)).toBe(false);
  });

  it('keeps only the schema errors that hold whatever the unknown values become', () => {
    const validate = compileSchema({
      type: 'object',
      properties: { workers: { anyOf: [{ const: 'auto' }, { type: 'integer' }] }, name: { type: 'string' } },
    });
    expect(validate({ workers: '${{ env.W }}', name: 3 })).toBe(false);
    expect(offlineKnown(validate.errors).map((e) => e.instancePath)).toEqual(['/name']);
    expect(offlineKnown(null)).toEqual([]);
  });

  it("keeps a step's own issues only where they do not depend on an unknown value or missing data", () => {
    const options = { end: '${{ env.N }}', where: 'r >', deep: { list: ['${{ env.X }}'] } };
    const at = (p: string) => (options as Record<string, unknown>)[p];
    const issues = [
      { path: 'end', code: 'INVALID_VALUE' },
      { path: 'where', code: 'EXPR_SYNTAX' },
      { path: 'where', code: 'NO_INPUT_MATCH' },
      { path: 'deep', code: 'INVALID_VALUE' },
    ];
    expect(offlineIssues(issues, options, at)).toEqual([{ path: 'where', code: 'EXPR_SYNTAX' }]);
    expect(holdsUnknown(options.deep)).toBe(true);
    expect(holdsUnknown({ a: [1, 'x'] })).toBe(false);
  });
});
