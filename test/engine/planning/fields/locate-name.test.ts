// locateName: the place in a step's options that names a field, in the pipeline file.
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../../engine/planning/parse.js';
import { locateName } from '../../../../engine/planning/fields/locate-name.js';

const text = `source: { step: range }
map:
  - step: filter
    with: { where: "r.a > 1 && r.tmp < 3" }
reduce:
  step: group
  with:
    by: weathr
    aggregate: { m: { mean: tmp } }
`;
const src = parsePipeline(text, '/p/pipeline.yaml');

describe('locateName', () => {
  it('points inside an expression at the name', () => {
    expect(locateName(src, ['map', 0, 'with'], { where: 'r.a > 1 && r.tmp < 3' }, 'tmp')).toEqual({
      path: 'map[0].with.where',
      location: { file: '/p/pipeline.yaml', line: 4, column: 34, length: 3 },
    });
  });

  it('prefers an option whose value is the name, in written order', () => {
    const options = { by: 'weathr', aggregate: { m: { mean: 'tmp' } } };
    expect(locateName(src, ['reduce', 'with'], options, 'weathr')).toEqual({
      path: 'reduce.with.by',
      location: { file: '/p/pipeline.yaml', line: 8, column: 9, length: 6 },
    });
    expect(locateName(src, ['reduce', 'with'], options, 'tmp')?.path).toBe('reduce.with.aggregate.m.mean');
  });

  it('is undefined when the options do not name it', () => {
    expect(locateName(src, ['reduce', 'with'], { by: 'weathr' }, 'other')).toBeUndefined();
  });
});
