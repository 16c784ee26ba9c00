import { describe, expect, it } from 'vitest';
import type { CheckSpec, Execution } from '../../../../engine/contract/plan.js';
import { checksRead, withCheckExecution, withCheckFields } from '../../../../engine/planning/checks/plan.js';

const common = { severity: 'error', allow: { count: 0 }, path: 'checks[0]' } as const;
const checks: CheckSpec[] = [
  { kind: 'rows', name: 'rows', min: 1, ...common },
  { kind: 'not-null', name: 'n', fields: ['origin', 'delay'], ...common },
  { kind: 'unique', name: 'u', fields: ['date', 'origin'], ...common },
  { kind: 'values-in', name: 'v', field: 'weather', values: ['sun'], ...common },
  { kind: 'where', name: 'w', expr: 'r.distance > 0', ...common },
];

describe('what checks change in a plan', () => {
  it('projection parses the fields the checks read too', () => {
    expect(checksRead(checks)).toEqual(['origin', 'delay', 'date', 'origin', 'weather', 'distance']);
    expect(withCheckFields({ fields: ['origin', 'delay'], reason: 'projection: the steps read origin, delay' }, checks)).toEqual({
      fields: ['origin', 'delay', 'date', 'weather', 'distance'],
      reason: 'projection: the steps read origin, delay; the checks read date, weather, distance',
    });
  });

  it('a where check that reads the record whole turns projection off, with the reason', () => {
    const whole: CheckSpec = { kind: 'where', name: 'w', expr: 'Object.keys(r).length > 2', ...common };
    expect(withCheckFields({ fields: ['origin'], reason: 'projection' }, [whole])).toEqual({ reason: 'whole records: a where check reads the record whole' });
    expect(withCheckFields({ reason: 'whole records: x' }, checks)).toEqual({ reason: 'whole records: x' });
  });

  it('a record check turns the numbers form off; rows and result keep it', () => {
    const numbers: Execution = { form: 'numbers', surelyNumbers: true, emit: false, reasons: ['numbers: every step takes a chunk as one Float64Array'] };
    expect(withCheckExecution(numbers, [checks[0]!])).toBe(numbers);
    expect(withCheckExecution(numbers, checks)).toEqual({
      form: 'records',
      surelyNumbers: false,
      emit: false,
      reasons: ['records: the not-null check looks at each record (numbers in bulk have none)'],
    });
  });

  it('a record check keeps the columns form, each row handed to it as its record; rows and result change nothing', () => {
    const columns: Execution = { form: 'columns', surelyNumbers: false, emit: true, reasons: ['projection', 'columns: the reducer adds a chunk from columns'] };
    expect(withCheckExecution(columns, [checks[0]!])).toBe(columns);
    expect(withCheckExecution(columns, checks)).toEqual({
      form: 'columns',
      surelyNumbers: false,
      emit: true,
      reasons: ['projection', 'columns: the reducer adds a chunk from columns', 'checks: the not-null check sees each row of the columns as its record'],
    });
  });
});
