import { describe, expect, it } from 'vitest';
import flatMap from '../../steps/map-flat-map.js';
import { FlowError } from '../../engine/contract/errors.js';
import { checkDefinition } from './reduce-harness.js';
import { runMap } from './map-harness.js';

describe('flat-map', () => {
  it('is a valid step definition', () => checkDefinition(flatMap));

  it('turns each record into the items of its array, in order', () => {
    const rs = [{ tags: ['a', 'b'] }, { tags: [] }, { tags: ['c'] }];
    expect(runMap(flatMap, { expr: 'r.tags' }, rs)).toEqual(['a', 'b', 'c']);
    expect(runMap(flatMap, { expr: '[r, r * 10]' }, [1, 2])).toEqual([1, 10, 2, 20]);
    expect(runMap(flatMap, { expr: "r.text.split(' ')" }, [{ text: 'to be' }])).toEqual(['to', 'be']);
  });

  it('makes undefined items null', () => {
    expect(runMap(flatMap, { expr: '[r.a, r.b]' }, [{ a: 1 }])).toEqual([1, null]);
  });

  it('rejects a value that is not an array, naming its type', () => {
    const err = (() => {
      try {
        runMap(flatMap, { expr: 'r.tags' }, [{ tags: 'a,b' }]);
      } catch (e) {
        return e as FlowError;
      }
    })();
    expect(err).toBeInstanceOf(FlowError);
    expect(err!.toJSON()).toEqual({
      code: 'BAD_RECORD',
      message: 'flat-map: the expression gave "a,b" (a string), not an array',
      hint: 'wrap a single value in [ ], or give [] to drop the record',
    });
    expect(() => runMap(flatMap, { expr: 'r.tags' }, [{}])).toThrow('flat-map: the expression gave undefined, not an array');
  });

  it('check() points inside the expression', () => {
    expect(flatMap.check!({ expr: 'r.items.map(x)' })).not.toEqual([]);
    expect(flatMap.check!({ expr: 'r.tags' })).toEqual([]);
  });

  it('reads the fields of its expression', () => expect(flatMap.fields!({ expr: 'r.tags' })).toEqual(['tags']));
});
