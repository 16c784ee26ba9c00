import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../engine/planning/parse.js';
import { errorsOf } from '../../helpers/errors.js';

const errors = (yaml: string) => errorsOf(() => parsePipeline(yaml, '/p.yaml')).map((e) => e.toJSON());

describe('a key indented deeper than the key above it', () => {
  it('is one error at the deeper key, with the indentation to use', () => {
    expect(errors('source: { step: range }\nmap:\n  - step: filter\n      with: { where: "r > 1" }\n')).toEqual([
      {
        code: 'YAML_SYNTAX',
        message: '`with:` is indented deeper than `step:` on the line above',
        location: { file: '/p.yaml', line: 4, column: 7, length: 4 },
        hint: 'indent `with:` like `step:` (4 spaces): keys of one mapping line up',
      },
    ]);
  });

  it('is found in a plain mapping too, and leaves other syntax errors as they are', () => {
    const found = errors('source:\n  step: file\n    with:\n      path: x\nb: [1, 2\n');
    expect(found[0]).toMatchObject({ message: '`with:` is indented deeper than `step:` on the line above', location: { line: 3, column: 5 } });
    expect(found.slice(1).every((e) => e.code === 'YAML_SYNTAX' && !String(e.message).includes('deeper than'))).toBe(true);
    expect(found.length).toBeGreaterThan(1);
  });

  it('keeps correctly indented keys as they are', () => {
    expect(() => parsePipeline('map:\n  - step: filter\n    with: { where: "r > 1" }\n', '/p.yaml')).not.toThrow();
  });
});
