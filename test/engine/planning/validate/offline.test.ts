import { describe, expect, it } from 'vitest';
import { isUnknownValue, offlineKnown } from '../../../../engine/planning/validate/offline.js';
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
});
