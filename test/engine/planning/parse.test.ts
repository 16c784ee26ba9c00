import { describe, expect, it } from 'vitest';
import { MAX_PIPELINE_BYTES } from '../../../engine/planning/load.js';
import { MAX_ALIAS_COUNT, MAX_DEPTH, parsePipeline } from '../../../engine/planning/parse.js';
import { checkPipeline } from '../../../engine/planning/validate/validate.js';
import { locateInString } from '../../../engine/planning/yaml-locate.js';
import { errorsOf } from '../../helpers/errors.js';

describe('parsePipeline', () => {
  it('keeps node ranges and line positions', () => {
    const src = parsePipeline('name: x\nsource:\n  step: range\n', '/p.yaml');
    expect(src.doc.toJS()).toEqual({ name: 'x', source: { step: 'range' } });
    expect(src.lineCounter.linePos(24)).toEqual({ line: 3, col: 9 });
  });

  it('reports every syntax error at once, located', () => {
    const errors = errorsOf(() => parsePipeline('a: [1, 2\nb: "x\nc: d\n', '/p.yaml'));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.every((e) => e.code === 'YAML_SYNTAX' && e.location?.file === '/p.yaml')).toBe(true);
  });

  it('refuses duplicate keys, naming the key', () => {
    const [err] = errorsOf(() => parsePipeline('source: a\nmap: []\nsource: b\n', '/p.yaml'));
    expect(err!.toJSON()).toEqual({
      code: 'YAML_SYNTAX',
      message: 'duplicate key "source"',
      location: { file: '/p.yaml', line: 3, column: 1, length: 6 },
      hint: 'each key may appear once in a mapping',
    });
  });

  it('refuses a billion-laughs document without expanding it', () => {
    // 26 levels of ten aliases each expand to 10^26 nodes: no machine holds them, and no run ends, so
    // only a document refused before it is expanded gets to the assertions (else the test times out).
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 26; i++) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const [err] = errorsOf(() => parsePipeline(lines.join('\n'), '/bomb.yaml'));
    expect(err!.code).toBe('YAML_ALIAS_LIMIT');
    expect(err!.location).toEqual({ file: '/bomb.yaml', line: 2, column: 8, length: 2 });
  });

  it('allows a few aliases', () => {
    const src = parsePipeline('x: &v 3\ny: *v\nz: *v\n', '/p.yaml');
    expect(src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })).toEqual({ x: 3, y: 3, z: 3 });
  });

  it('treats __proto__ as an ordinary unknown key and pollutes nothing', () => {
    const src = parsePipeline('__proto__: { polluted: true }\nsource: { step: range, with: { end: 3, __proto__: { polluted: true } } }\n', '/p.yaml');
    const value = src.doc.toJS() as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const { errors, spec } = checkPipeline(value, src);
    expect(errors.map((e) => [e.code, e.path])).toEqual([['UNKNOWN_KEY', '__proto__']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((spec as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('columns inside scalars', () => {
  const column = (yaml: string, offset: number) => {
    const src = parsePipeline(yaml, '/p.yaml');
    return locateInString(src, ['x'], offset)!.column;
  };

  it('skips the opening quote and counts a doubled single quote once', () => {
    expect(column("x: 'it''s here'", 5)).toBe(11);
  });

  it('decodes double-quoted escapes', () => {
    expect(column('x: "\\u00e9\\t!"', 2)).toBe(13);
    expect(column('x: "a\\"b"', 2)).toBe(8);
  });

  it('walks past the header and indentation of a block scalar', () => {
    expect(column('x: |\n  ab\n  cd\n', 4)).toBe(4);
  });

  it('maps a plain scalar one to one', () => {
    expect(column('x: r > 1', 4)).toBe(8);
  });

  it('points at an unclosed quote where it opens', () => {
    const [err] = errorsOf(() => parsePipeline('a: 1\nb: "open\nc: 2\n', '/p.yaml'));
    expect(err!.toJSON()).toEqual({
      code: 'YAML_SYNTAX',
      message: 'a string opened with " is never closed',
      location: { file: '/p.yaml', line: 2, column: 4, length: 1 },
      hint: 'close it with "',
    });
  });
});

describe('bare placeholders in flow collections', () => {
  it('replace the parser’s cascade with one error each, keeping earlier errors', () => {
    const errors = errorsOf(() => parsePipeline('a: "x\n  y\nb: [1, 2\nsource: { with: { end: ${{ params.n }}, start: ${{env.S}} } }\nmap: []\n', '/p.yaml'));
    const placeholders = errors.filter((e) => e.message.includes('must be quoted'));
    expect(placeholders.map((e) => [e.location!.line, e.location!.column, e.hint])).toEqual([
      [4, 24, 'write "${{ params.n }}"'],
      [4, 48, 'write "${{env.S}}"'],
    ]);
    expect(errors.slice(0, -2).every((e) => e.location!.line < 4)).toBe(true);
  });

  it('are fine in block style and inside quotes', () => {
    expect(() => parsePipeline('a: ${{ params.n }}\nb: { c: "${{ params.n }}" }\n', '/p.yaml')).not.toThrow();
  });
});

describe('limits', () => {
  const head = 'source: { step: range, with: { end: 3 } }\n';

  it(`takes collections nested ${MAX_DEPTH} levels deep`, () => {
    const text = `${head}name: ${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)}\n`;
    expect(() => parsePipeline(text, '/p.yaml')).not.toThrow();
  });

  it('refuses one level more, at the first collection past the limit', () => {
    const [err] = errorsOf(() => parsePipeline(`${head}name: ${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}\n`, '/p.yaml'));
    expect(err!.toJSON()).toEqual({
      code: 'YAML_TOO_DEEP',
      message: `the YAML nests more than ${MAX_DEPTH} levels deep here`,
      location: { file: '/p.yaml', line: 2, column: 7 + MAX_DEPTH - 1, length: 1 },
      hint: 'a pipeline needs only a few levels of mappings and lists',
    });
  });

  it('refuses deep block mappings and block lists, located', () => {
    const mappings = Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    const [err] = errorsOf(() => parsePipeline(`${mappings} 1\n`, '/p.yaml'));
    expect([err!.code, err!.location]).toEqual(['YAML_TOO_DEEP', { file: '/p.yaml', line: MAX_DEPTH + 1, column: MAX_DEPTH + 1, length: 1 }]);
    const lists = `x:\n  ${'- '.repeat(200)}1\n`;
    expect(errorsOf(() => parsePipeline(lists, '/p.yaml')).map((e) => e.code)).toContain('YAML_TOO_DEEP');
  });

  // Nested thousands deep, the parser overflows its own stack (and catches it); the later stages would not.
  it.each([
    ['flow lists', (n: number) => `name: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    ['flow mappings', (n: number) => `name: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`],
    ['block mappings', (n: number) => `name:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')} 1\n`],
  ])('refuses %s 1400 levels deep without a stack overflow', (_kind, make) => {
    const errors = errorsOf(() => parsePipeline(head + make(1400), '/p.yaml'));
    expect(errors.map((e) => e.code)).toEqual(['YAML_TOO_DEEP']);
    expect(errors[0]!.message).not.toMatch(/stack/);
    // At the first collection past the limit, as when the parser does not overflow.
    const { line, column } = errors[0]!.location!;
    const text = (head + make(1400)).split('\n');
    // Flow: the 64th bracket (the file's mapping is level 1); block: indented by 64.
    if (line === 2) expect(text[1]!.slice(0, column - 1).split(/[[{]/).length - 1).toBe(MAX_DEPTH - 1);
    else expect([line, column]).toEqual([MAX_DEPTH + 2, MAX_DEPTH + 1]);
  });

  it('points a parser overflow at the first level past the limit', () => {
    const [err] = errorsOf(() => parsePipeline(`${head}name: ${'['.repeat(3000)}${']'.repeat(3000)}\n`, '/p.yaml'));
    expect([err!.code, err!.location]).toEqual(['YAML_TOO_DEEP', { file: '/p.yaml', line: 2, column: 7 + MAX_DEPTH - 1, length: 1 }]);
  });

  it('refuses text larger than the limit, where it passes the limit', () => {
    const line = `# ${'x'.repeat(97)}\n`;
    const text = line.repeat(Math.ceil(MAX_PIPELINE_BYTES / line.length) + 1);
    const [err] = errorsOf(() => parsePipeline(text, '/p.yaml'));
    expect(err!.code).toBe('YAML_TOO_LARGE');
    expect(err!.message).toBe('the pipeline file is larger than 1 MiB');
    expect(err!.location).toEqual({ file: '/p.yaml', line: Math.floor(MAX_PIPELINE_BYTES / 100) + 1, column: (MAX_PIPELINE_BYTES % 100) + 1 });
  });

  it('reads a mapping of 100k keys in linear time', { timeout: 20_000 }, () => {
    // The parser's own duplicate check compared each key with all before it: 75 s for this one.
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i.toString(36)}: 1`);
    const text = `${head}params: {${keys.join(', ')}}\n`;
    expect(text.length).toBeLessThan(MAX_PIPELINE_BYTES);
    const src = parsePipeline(text, '/p.yaml');
    expect(Object.keys((src.doc.toJS() as { params: object }).params)).toHaveLength(100_000);
  });

  it('gives process.env back as it was after parsing against a plain copy', () => {
    const env = process.env;
    parsePipeline(`${head}name: x\n`, '/p.yaml');
    expect(process.env).toBe(env);
  });

  it('still finds every duplicate key, in order', () => {
    const errors = errorsOf(() => parsePipeline('a: 1\nb: { c: 1, d: 2, c: 3 }\na: 2\n"1": x\n1: y\n1.0: z\n', '/p.yaml'));
    expect(errors.map((e) => [e.message, e.location!.line, e.location!.column])).toEqual([
      ['duplicate key "c"', 2, 18],
      ['duplicate key "a"', 3, 1],
      ['duplicate key "1.0"', 6, 1],
    ]);
  });
});
