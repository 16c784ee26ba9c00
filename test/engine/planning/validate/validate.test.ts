import { describe, expect, it } from 'vitest';
import { FlowError, FlowErrors } from '../../../../engine/contract/errors.js';
import { interpolatePipeline } from '../../../../engine/planning/interpolate.js';
import { parsePipeline } from '../../../../engine/planning/parse.js';
import { checkPipeline, validatePipeline } from '../../../../engine/planning/validate/validate.js';

function check(yaml: string) {
  const src = parsePipeline(yaml, '/p.yaml');
  interpolatePipeline(src, { env: {} });
  return checkPipeline(src.doc.toJS(), src);
}

function codes(yaml: string) {
  return check(yaml).errors.map((e) => [e.code, e.path, e.location?.line, e.location?.column]);
}

describe('validatePipeline', () => {
  it('returns the spec, with bare-string steps normalised', () => {
    const src = parsePipeline(
      'name: n\nsource: { step: range, with: { end: 3 } }\nmap: [./x.mjs, { step: filter, with: { where: "r" } }]\nreduce: count\noutput: stdout\nworkers: 2\nchunking: { records: 10, bytes: 8MiB }\n',
      '/p.yaml',
    );
    expect(validatePipeline(src.doc.toJS(), src)).toEqual({
      name: 'n',
      source: { step: 'range', with: { end: 3 } },
      map: [{ step: './x.mjs' }, { step: 'filter', with: { where: 'r' } }],
      reduce: { step: 'count' },
      output: { step: 'stdout' },
      workers: 2,
      chunking: { records: 10, bytes: 8 * 1024 * 1024 },
    });
  });

  it('throws every error at once, in file order', () => {
    const src = parsePipeline('workers: 0\nsourse: {}\n', '/p.yaml');
    const err = (() => {
      try {
        validatePipeline(src.doc.toJS(), src);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FlowErrors);
    expect((err as FlowErrors).errors.map((e) => e.code)).toEqual(['INVALID_VALUE', 'UNKNOWN_KEY']);
  });

  it('says an empty file is empty', () => {
    expect(check('# nothing yet\n').errors.map((e) => e.toJSON())).toEqual([
      {
        code: 'MISSING_KEY',
        message: 'the pipeline file is empty',
        path: 'source',
        location: { file: '/p.yaml', line: 1, column: 1, length: 1 },
        hint: 'a pipeline needs at least a source: step',
      },
    ]);
    expect(codes('- a\n')).toEqual([['WRONG_TYPE', undefined, 1, 1]]);
  });

  it('throws a single FlowError when there is one problem', () => {
    const src = parsePipeline('source: 3\n', '/p.yaml');
    expect(() => validatePipeline(src.doc.toJS(), src)).toThrow(FlowError);
  });

  it('locates unknown keys at the key, wrong values at the value, missing keys at the mapping', () => {
    expect(codes('source:\n  step: range\n  wiht: {}\n')).toEqual([['UNKNOWN_KEY', 'source.wiht', 3, 3]]);
    expect(codes('source: { step: range }\nworkers: "x"\n')).toEqual([['INVALID_VALUE', 'workers', 2, 10]]);
    expect(codes('source:\n  with: {}\n')).toEqual([['MISSING_KEY', 'source.step', 2, 3]]);
    expect(codes('name: 1\n')).toEqual([
      ['MISSING_KEY', 'source', 1, 1],
      ['WRONG_TYPE', 'name', 1, 7],
    ]);
  });

  it('gives one error for a value that fits no branch of a oneOf, with the branches spelt out', () => {
    const [err] = check('source: { step: range }\nworkers: 1.5\n').errors;
    expect(err!.toJSON()).toMatchObject({ code: 'INVALID_VALUE', path: 'workers', message: 'expected "auto", or an integer >= 1, got the number 1.5' });
    expect(check('source: { step: range }\nworkers: [1]\n').errors.map((e) => e.code)).toEqual(['WRONG_TYPE']);
    expect(check('source: { step: range }\nchunking: { bytes: 8 MiBs }\n').errors.map((e) => e.path)).toEqual(['chunking.bytes']);
  });

  it('does not report a missing key that a misspelt key explains', () => {
    expect(codes('sourse: { step: range }\n')).toEqual([['UNKNOWN_KEY', 'sourse', 1, 1]]);
  });

  it('names the closest step of the slot’s kind, or the kind a step belongs to', () => {
    const errors = check('source: { step: flie }\nmap: [count, { step: "Filter" }]\nreduce: { step: "Grop" }\n').errors;
    expect(errors.map((e) => [e.code, e.path, e.message, e.hint])).toEqual([
      [
        'UNKNOWN_STEP',
        'map[0]',
        '"count" is a reduce step, not a map step',
        'put it under reduce:, or use a map step: filter, transform, set, select, flat-map',
      ],
      ['UNKNOWN_STEP', 'map[1].step', 'no map step named "Filter"', 'did you mean `filter`?'],
      ['UNKNOWN_STEP', 'reduce.step', 'no reduce step named "Grop"', 'did you mean `group`?'],
    ]);
  });

  it('accepts npm package names and local paths as plugins, for resolve to find', () => {
    expect(check('source: { step: "@acme/flow-steps/read-x" }\nmap: [flow-step-geoip, ../up.ts]\n').errors).toEqual([]);
  });

  it('checks the step envelope: only step and with, with a mapping', () => {
    expect(codes('source: { step: range, width: {} }\nmap: [{ step: filter, with: [] }, 3]\n')).toEqual([
      ['UNKNOWN_KEY', 'source.width', 1, 24],
      ['WRONG_TYPE', 'map[0].with', 2, 29],
      ['WRONG_TYPE', 'map[1]', 2, 35],
    ]);
  });

  it('keeps the sound slots of a file with errors, and where each map entry was', () => {
    const { spec, mapIndices } = check('source: { step: range }\nmap: [7, ./a.mjs]\n');
    expect(spec.map).toEqual([{ step: './a.mjs' }]);
    expect(mapIndices).toEqual([1]);
  });
});

describe('on-error and retries', () => {
  const source = 'source: { step: range, with: { end: 3 } }\n';

  it('normalise into the spec: a share as a fraction, a duration in milliseconds', () => {
    expect(
      check(`${source}on-error: { action: dead-letter, dead-letter: out/rejects.ndjson, max: "0.5%" }\nretries: { attempts: 5, chunk-timeout: 10m }\n`).spec,
    ).toMatchObject({
      onError: { action: 'dead-letter', deadLetter: 'out/rejects.ndjson', max: { share: 0.005 } },
      retries: { attempts: 5, chunkTimeoutMs: 600_000 },
    });
    expect(check(`${source}on-error: { action: skip, max: 100 }\nretries: { chunk-timeout: 1.5 }\n`).spec).toMatchObject({
      onError: { action: 'skip', max: { count: 100 } },
      retries: { attempts: 3, chunkTimeoutMs: 1500 },
    });
  });

  it('dead-letter needs its file, and a file needs dead-letter, each located', () => {
    expect(codes(`${source}on-error: { action: dead-letter }\n`)).toEqual([['MISSING_KEY', 'on-error.dead-letter', 2, 21]]);
    expect(codes(`${source}on-error:\n  action: skip\n  dead-letter: x.ndjson\n`)).toEqual([['INVALID_VALUE', 'on-error.dead-letter', 4, 3]]);
  });

  it('refuses an unknown action, a bad share, a bad duration and zero attempts with located schema errors', () => {
    const found = codes(`${source}on-error: { action: retry, max: "5 percent" }\nretries: { attempts: 0, chunk-timeout: 10 minutes }\n`);
    expect(found.map(([, path]) => path)).toEqual(['on-error.action', 'on-error.max', 'retries.attempts', 'retries.chunk-timeout']);
    expect(found.every(([, , line]) => typeof line === 'number')).toBe(true);
  });
});
