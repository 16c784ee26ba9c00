import { describe, expect, it } from 'vitest';
import { interpolatePipeline, substitute, typeSetValue } from '../../../engine/planning/interpolate.js';
import { parsePipeline } from '../../../engine/planning/parse.js';
import { locateInString } from '../../../engine/planning/yaml-locate.js';
import { errorsOf } from '../../helpers/errors.js';

describe('typeSetValue (--set k=v)', () => {
  it.each([
    ['30', 30],
    ['2.5', 2.5],
    ['true', true],
    ['false', false],
    ['null', null],
    ['abc', 'abc'],
    ['', ''],
    ['"30"', '"30"'],
    ['a: b', 'a: b'],
    ['[1, 2]', '[1, 2]'],
    ['x # y', 'x'],
    ['r > 3', 'r > 3'],
  ])('%j -> %j', (text, value) => {
    expect(typeSetValue(text)).toEqual(value);
  });
});

describe('substitute', () => {
  const scope = { params: { n: 30, s: 'abc', flag: true }, env: { HOME: '/home/u' } };

  it('gives a lone placeholder the value’s type', () => {
    expect(substitute('${{ params.n }}', scope).value).toBe(30);
    expect(substitute('${{params.flag}}', scope).value).toBe(true);
    expect(substitute('${{ env.HOME }}', scope).value).toBe('/home/u');
  });

  it('puts the text of a value inside a longer string', () => {
    const r = substitute('r > ${{ params.n }} && r.s == "${{ params.s }}"', scope);
    expect(r.value).toBe('r > 30 && r.s == "abc"');
    expect(r.issues).toEqual([]);
  });

  it('records where each piece came from', () => {
    expect(substitute('a${{ params.n }}bc', scope).pieces).toEqual([
      { start: 0, length: 1, from: 0, fromLength: 1, substituted: false },
      { start: 1, length: 2, from: 1, fromLength: 15, substituted: true },
      { start: 3, length: 2, from: 16, fromLength: 2, substituted: false },
    ]);
  });

  it('prepares, for expressions, the string with each placeholder as a literal of its value', () => {
    const r = substitute('r.a > ${{ params.n }} && r.s == ${{ params.s }} && ${{ params.flag }}', scope);
    expect(r.value).toBe('r.a > 30 && r.s == abc && true');
    expect(r.expression?.value).toBe('r.a > 30 && r.s == "abc" && true');
    // A lone placeholder too: its value's literal, whatever its type.
    expect(substitute('${{ params.flag }}', scope).expression?.value).toBe('true');
    expect(substitute('no placeholder', scope).expression).toBeUndefined();
  });

  it('inserts no value that could change what the expression means', () => {
    const tricky = { params: { x: '1 || true', q: `Children's "best" \\ \n` }, env: {} };
    expect(substitute('r.a == ${{ params.x }}', tricky).expression?.value).toBe('r.a == "1 || true"');
    expect(substitute('r.t == ${{ params.q }}', tricky).expression?.value).toBe(`r.t == ${JSON.stringify(tricky.params.q)}`);
    // Inside a quoted string of the expression, the text goes in escaped for that quote.
    expect(substitute("r.t == '${{ params.q }}'", tricky).expression?.value).toBe(
      `r.t == '${JSON.stringify(tricky.params.q).slice(1, -1).replace(/'/g, "\\'")}'`,
    );
    expect(substitute("r.s == 'x ${{ params.x }}'", tricky).expression?.value).toBe("r.s == 'x 1 || true'");
  });

  it('maps offsets of the expression form back to the placeholder', () => {
    const r = substitute('a == ${{ params.s }} && b', scope);
    expect(r.expression!.pieces).toEqual([
      { start: 0, length: 5, from: 0, fromLength: 5, substituted: false },
      { start: 5, length: 5, from: 5, fromLength: 15, substituted: true },
      { start: 10, length: 5, from: 20, fromLength: 5, substituted: false },
    ]);
  });

  it('offline, leaves an unset env variable as written (null in the expression form)', () => {
    const offline = { ...scope, offline: true };
    expect(substitute('${{ env.NOPE }}', offline)).toMatchObject({ value: '${{ env.NOPE }}', issues: [], expression: { value: 'null' } });
    expect(substitute('x/${{ env.NOPE }}/${{ env.HOME }}', offline)).toMatchObject({ value: 'x/${{ env.NOPE }}//home/u', issues: [] });
    expect(substitute("r.a > ${{ env.NOPE }} && r.b == '${{ env.NOPE }}'", offline).expression?.value).toBe("r.a > null && r.b == ''");
    // Params are still checked offline.
    expect(substitute('${{ params.nope }}', offline).issues.map((i) => i.code)).toEqual(['UNDEFINED_PARAM']);
  });

  it('reports undefined names and foreign placeholders at their own offsets', () => {
    const r = substitute('x ${{ params.m }} ${{ secrets.k }} ${{ env.NOPE }}', scope);
    expect(r.issues.map((i) => [i.code, i.offset, i.length])).toEqual([
      ['UNDEFINED_PARAM', 2, 15],
      ['BAD_PLACEHOLDER', 18, 16],
      ['UNDEFINED_ENV', 35, 15],
    ]);
  });

  // Object.prototype's members are not variables or params: each is undefined like any missing name.
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])('finds no inherited env.%s or params.%s', (name) => {
    const env = { ...scope.env };
    for (const text of [`\${{ env.${name} }}`, `a \${{ env.${name} }}`]) {
      const r = substitute(text, { ...scope, env });
      expect(r.issues.map((i) => [i.code, i.message])).toEqual([['UNDEFINED_ENV', `the environment variable ${name} is not set`]]);
      expect(r.value).toBe(text);
    }
    const params = Object.create(null) as Record<string, unknown>;
    params.n = 1;
    for (const p of [{ n: 1 }, params]) {
      const r = substitute(`\${{ params.${name} }}`, { params: p, env });
      expect(r.issues.map((i) => [i.code, i.message])).toEqual([['UNDEFINED_PARAM', `no param named ${name}`]]);
    }
  });

  it('finds own variables of process.env', () => {
    expect(substitute('${{ env.PATH }}', { env: process.env }).value).toBe(process.env.PATH);
    expect(substitute('${{ env.toString }}', { env: process.env }).issues.map((i) => i.code)).toEqual(['UNDEFINED_ENV']);
  });
});

describe('interpolatePipeline', () => {
  const yaml = [
    'params:',
    '  n: 15',
    '  dir: "${{ env.DATA }}/in"',
    'source:',
    '  step: file',
    '  with: { path: "${{ params.dir }}/x.csv" }',
    'map:',
    '  - step: filter',
    '    with: { where: "r.a > ${{ params.n }} && r.b" }',
    'workers: ${{ params.threads }}',
    '',
  ].join('\n');

  it('applies env to params, --set over params, then params everywhere else', () => {
    const src = parsePipeline(yaml, '/p.yaml');
    const params = interpolatePipeline(src, { env: { DATA: '/data' }, set: { n: '30', threads: '4' } });
    expect(params).toEqual({ n: 30, dir: '/data/in', threads: 4 });
    expect(src.doc.toJS()).toMatchObject({ source: { with: { path: '/data/in/x.csv' } }, map: [{ with: { where: 'r.a > 30 && r.b' } }], workers: 4 });
  });

  it('keeps offsets after a substitution pointing at the written text', () => {
    const src = parsePipeline(yaml, '/p.yaml');
    interpolatePipeline(src, { env: { DATA: '/data' }, set: { threads: '2' } });
    // "r.b" is at offset 13 of "r.a > 15 && r.b"; in the file it is after the placeholder.
    const line = yaml.split('\n')[8]!;
    expect(locateInString(src, ['map', 0, 'with', 'where'], 12, 3)).toEqual({ file: '/p.yaml', line: 9, column: line.indexOf('r.b') + 1, length: 3 });
    // Inside the substituted text: the placeholder itself.
    expect(locateInString(src, ['map', 0, 'with', 'where'], 7, 1)?.column).toBe(line.indexOf('${{') + 1);
  });

  it('reports every undefined name at its line and column, with a hint', () => {
    const errors = errorsOf(() => interpolatePipeline(parsePipeline(yaml.replace('params.n }}', 'params.nn }}'), '/p.yaml'), { env: {} }));
    expect(errors.map((e) => e.toJSON())).toEqual([
      {
        code: 'UNDEFINED_ENV',
        message: 'the environment variable DATA is not set',
        location: { file: '/p.yaml', line: 3, column: 9, length: 15 },
        path: 'params.dir',
        hint: 'set DATA in the environment',
      },
      {
        code: 'UNDEFINED_PARAM',
        message: 'no param named nn',
        location: { file: '/p.yaml', line: 9, column: 27, length: 16 },
        path: 'map[0].with.where',
        hint: 'did you mean `n`?',
      },
      {
        code: 'UNDEFINED_PARAM',
        message: 'no param named threads',
        location: { file: '/p.yaml', line: 10, column: 10, length: 21 },
        path: 'workers',
        hint: 'known params: n, dir',
      },
    ]);
  });

  it('does not let params refer to params', () => {
    const [err] = errorsOf(() => interpolatePipeline(parsePipeline('params:\n  a: 1\n  b: ${{ params.a }}\nsource: x\n', '/p.yaml'), { env: {} }));
    expect(err!.code).toBe('BAD_PLACEHOLDER');
    expect(err!.path).toBe('params.b');
  });

  it('refuses inherited names through the whole pipeline, located', () => {
    const src = parsePipeline(
      'params:\n  n: 1\nname: "${{ env.constructor }}"\nsource: { step: range, with: { end: "${{ params.__proto__ }}" } }\n',
      '/p.yaml',
    );
    const errors = errorsOf(() => interpolatePipeline(src, { env: process.env }));
    expect(errors.map((e) => [e.code, e.path, e.location?.line, e.location?.column])).toEqual([
      ['UNDEFINED_ENV', 'name', 3, 8],
      ['UNDEFINED_PARAM', 'source.with.end', 4, 38],
    ]);
  });

  it('leaves keys and strings without placeholders alone', () => {
    const src = parsePipeline('source: { step: "x ${ y }", with: { "${{ params.k }}": 1 } }\n', '/p.yaml');
    interpolatePipeline(src, { env: {} });
    expect(src.doc.toJS()).toEqual({ source: { step: 'x ${ y }', with: { '${{ params.k }}': 1 } } });
  });
});

describe('--set of a param the pipeline does not have', () => {
  it('is a BAD_ARGS error with the closest declared param', () => {
    const src = parsePipeline('params:\n  min_delay: 15\nsource: { step: range, with: { end: 3 } }\n', '/p.yaml');
    const [err] = errorsOf(() => interpolatePipeline(src, { env: {}, set: { min_dealy: '30' } }));
    expect(err!.toJSON()).toEqual({ code: 'BAD_ARGS', message: '--set min_dealy: the pipeline has no param min_dealy', hint: 'did you mean `min_delay`?' });
  });

  it('is fine when a placeholder uses it, declared or not', () => {
    const src = parsePipeline('source: { step: range, with: { end: "${{ params.n }}" } }\n', '/p.yaml');
    expect(interpolatePipeline(src, { env: {}, set: { n: '5' } })).toEqual({ n: 5 });
  });
});
