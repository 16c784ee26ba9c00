import { describe, expect, it } from 'vitest';
import { expressionPaths, insertLiterals } from '../../../engine/planning/expressions.js';
import { interpolatePipeline } from '../../../engine/planning/interpolate.js';
import { parsePipeline } from '../../../engine/planning/parse.js';
import { locateInString } from '../../../engine/planning/yaml-locate.js';
import filter from '../../../steps/map-filter.js';
import set from '../../../steps/map-set.js';

const expr = { type: 'string', format: 'flow-expression' };

describe('expressionPaths', () => {
  it("finds the values a step's schema marks as expressions", () => {
    expect(expressionPaths(filter.options, { where: 'r > 1' })).toEqual([['where']]);
    expect(expressionPaths(set.options, { fields: { a: 'r.x', b: 'r.y' } })).toEqual([
      ['fields', 'a'],
      ['fields', 'b'],
    ]);
    expect(expressionPaths(filter.options, {})).toEqual([]);
  });

  it('follows $ref, oneOf branches, patternProperties and items, whatever the value’s type', () => {
    const schema = {
      definitions: { check: { type: 'object', properties: { where: { $ref: '#/definitions/e' } } }, e: expr },
      type: 'object',
      properties: { checks: { type: 'array', items: { oneOf: [{ $ref: '#/definitions/check' }, { type: 'string' }] } } },
      patternProperties: { '^x-': expr },
    };
    const value = { checks: [{ where: 'r.a' }, 'plain', { where: true }], 'x-a': 'r', other: 'r' };
    expect(expressionPaths(schema, value)).toEqual([['checks', 0, 'where'], ['checks', 2, 'where'], ['x-a']]);
  });
});

describe('insertLiterals', () => {
  const yaml =
    'params:\n  t: "a\'b"\nmap:\n  - step: filter\n    with: { where: "r.t == ${{ params.t }} && r.u" }\n  - step: other\n    with: { where: "r.t == ${{ params.t }}" }\n';

  it('swaps in the literal form where the schema says expression, and keeps columns right', () => {
    const src = parsePipeline(yaml, '/p.yaml');
    interpolatePipeline(src, { env: {} });
    const value = (src.doc.toJS() as { map: { with: Record<string, unknown> }[] }).map;
    const out = insertLiterals(filter.options, { ...value[0]!.with }, ['map', 0, 'with'], src);
    expect(out).toEqual({ where: 'r.t == "a\'b" && r.u' });
    // Not an expression for this schema: the text form stays.
    expect(insertLiterals({ type: 'object' }, { ...value[1]!.with }, ['map', 1, 'with'], src)).toEqual({ where: "r.t == a'b" });
    // `r.u` is at offset 16 of the literal form; in the file it follows the placeholder.
    const line = yaml.split('\n')[4]!;
    expect(locateInString(src, ['map', 0, 'with', 'where'], 16, 3)?.column).toBe(line.indexOf('r.u') + 1);
  });
});
