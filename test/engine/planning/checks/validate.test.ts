import { describe, expect, it } from 'vitest';
import { allowedCount, checkChecks } from '../../../../engine/planning/checks/validate.js';

describe('checks as the plan holds them', () => {
  it('names each check after its kind and fields unless it has a name; allow and severity resolved', () => {
    const { checks, errors } = checkChecks(
      {
        reduce: 'collect',
        checks: [
          { rows: { max: 5 } },
          { 'not-null': 'id', allow: '0.5%' },
          { unique: ['a', 'b'], severity: 'warn' },
          { 'values-in': { field: 'w', values: ['x', null] }, allow: 3 },
          { where: 'r.x > params.min', name: 'x over min' },
          { result: 'result.length > 0' },
        ],
      },
      undefined,
      { min: 1 },
    );
    expect(errors).toEqual([]);
    expect(checks!.map((c) => [c.kind, c.name, c.severity, c.allow])).toEqual([
      ['rows', 'rows at most 5', 'error', { count: 0 }],
      ['not-null', 'not-null: id', 'error', { share: 0.005 }],
      ['unique', 'unique: a, b', 'warn', { count: 0 }],
      ['values-in', 'values-in: w', 'error', { count: 3 }],
      ['where', 'x over min', 'error', { count: 0 }],
      ['result', 'result: result.length > 0', 'error', { count: 0 }],
    ]);
    expect(checks!.map((c) => c.path)).toEqual(['checks[0]', 'checks[1]', 'checks[2]', 'checks[3]', 'checks[4]', 'checks[5]']);
  });

  it('a share allows that part of the records checked, rounded down', () => {
    expect(allowedCount({ share: 0.001 }, 3000)).toBe(3);
    expect(allowedCount({ share: 0.001 }, 2999)).toBe(2);
    expect(allowedCount({ share: 0.5 }, 1)).toBe(0);
    expect(allowedCount({ count: 7 }, 1)).toBe(7);
  });
});
