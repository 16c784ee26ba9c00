import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { describeValue, fieldReader, numberReader, setField } from '../../../../steps/kit/record.js';

describe('fieldReader', () => {
  it('reads own fields only, so prototype names are missing unless present', () => {
    expect(fieldReader('a')({ a: 1 })).toBe(1);
    expect(fieldReader('constructor')({})).toBeUndefined();
    expect(fieldReader('__proto__')({})).toBeUndefined();
    expect(fieldReader('__proto__')(JSON.parse('{"__proto__": 5}'))).toBe(5);
    expect(fieldReader('toString')({ toString: 'x' })).toBe('x');
    expect(fieldReader('a')(null)).toBeUndefined();
    expect(fieldReader('a')(3)).toBeUndefined();
  });
});

describe('setField', () => {
  it('sets "__proto__" as an own field, not the prototype', () => {
    const o: Record<string, unknown> = {};
    setField(o, '__proto__', 1);
    setField(o, 'b', 2);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(JSON.stringify(o)).toBe('{"__proto__":1,"b":2}');
  });
});

describe('numberReader', () => {
  it('skips null and missing values, and reads the record itself without a field', () => {
    expect(numberReader('sum', 'x')({ x: 2 })).toBe(2);
    expect(numberReader('sum', 'x')({ x: null })).toBeUndefined();
    expect(numberReader('sum', 'x')({})).toBeUndefined();
    expect(numberReader('sum', undefined)(4)).toBe(4);
    expect(numberReader('sum', undefined)(null)).toBeUndefined();
  });

  it('names the step, the field and the value of a non-number', () => {
    const err = catchError(() => numberReader('sum', 'delay')({ delay: '12' }));
    expect(err).toBeInstanceOf(FlowError);
    expect(err.toJSON()).toEqual({
      code: 'BAD_RECORD',
      message: 'sum: field "delay" is "12" (a string), not a number',
      hint: 'convert it first, e.g. with a `transform` or `set` step using Number(...), or filter such records out',
    });
    expect(catchError(() => numberReader('max', undefined)({ a: 1 })).message).toBe('max: the record is {"a":1} (an object), not a number');
    expect(catchError(() => numberReader('mean', 'x')(7)).message).toBe('mean: the record is 7 (a number), not an object with field "x"');
  });
});

describe('describeValue', () => {
  it('shortens long values and names the type', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(true)).toBe('true (a boolean)');
    expect(describeValue([1, 2])).toBe('[1,2] (an array)');
    expect(describeValue(12n)).toBe('12 (a bigint)');
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(56)}... (a string)`);
  });
});

function catchError(fn: () => unknown): FlowError {
  try {
    fn();
  } catch (e) {
    return e as FlowError;
  }
  throw new Error('expected an error');
}
