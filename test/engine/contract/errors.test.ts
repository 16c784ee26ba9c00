// The error catalogue: exit codes per code, plain-data errors, and several errors at once.
import { describe, expect, it } from 'vitest';
import { catalogue, exitCodeOf, FlowError, FlowErrors, interrupted, isFlowError, throwIfAny, type ErrorCode } from '../../../engine/contract/errors.js';

const codes = Object.keys(catalogue) as ErrorCode[];
const invalid: ErrorCode[] = [
  'BAD_ARGS',
  'FILE_NOT_FOUND',
  'YAML_SYNTAX',
  'YAML_ALIAS_LIMIT',
  'YAML_TOO_LARGE',
  'YAML_TOO_DEEP',
  'UNKNOWN_KEY',
  'MISSING_KEY',
  'WRONG_TYPE',
  'INVALID_VALUE',
  'UNKNOWN_STEP',
  'UNDEFINED_PARAM',
  'UNDEFINED_ENV',
  'BAD_PLACEHOLDER',
  'EXPR_SYNTAX',
  'EXPR_UNKNOWN_FUNCTION',
  'EXPR_FORBIDDEN',
  'NO_INPUT_MATCH',
  'UNKNOWN_FIELD',
  'INPUT_NOT_TEXT',
  'PLUGIN_NOT_FOUND',
  'PLUGIN_INVALID',
  'PLUGIN_OUTSIDE_PROJECT',
  'QUEUE_STREAM_SOURCE',
];
const failed: ErrorCode[] = [
  'RECORD_PARSE',
  'BAD_RECORD',
  'STEP_FAILED',
  'EXPR_LIMIT',
  'WORKER_DIED',
  'CHUNK_FAILED',
  'ERROR_BUDGET',
  'INPUT_FAILED',
  'OUTPUT_FAILED',
  'QUEUE_UNAVAILABLE',
  'QUEUE_REFUSED',
  'FINGERPRINT_MISMATCH',
  'INPUT_CHANGED',
];
const dataFailed: ErrorCode[] = ['CHECK_FAILED', 'STRICT_WARNINGS'];

describe('exit codes', () => {
  it('has exactly the documented codes', () => {
    expect(codes.sort()).toEqual([...invalid, ...failed, ...dataFailed, 'INTERRUPTED', 'HANGUP'].sort());
  });

  it.each(dataFailed)('%s: the run completed but its data did not pass, exit 3', (code) => {
    expect(new FlowError({ code, message: 'x' }).exitCode).toBe(3);
    expect(exitCodeOf(new FlowError({ code, message: 'x' }))).toBe(3);
  });

  it.each(invalid)('%s: the pipeline or command line is invalid, exit 2', (code) => {
    expect(new FlowError({ code, message: 'x' }).exitCode).toBe(2);
  });

  it.each(failed)('%s: the run failed, exit 1', (code) => {
    expect(new FlowError({ code, message: 'x' }).exitCode).toBe(1);
  });

  it('INTERRUPTED exits 130, and interrupted() says nothing was written', () => {
    const error = interrupted();
    expect(error.exitCode).toBe(130);
    expect(error.toJSON()).toEqual({ code: 'INTERRUPTED', message: 'interrupted; nothing was written' });
  });

  it('a signal names itself; SIGHUP exits 129 (128 + 1), SIGINT and SIGTERM 130', () => {
    expect(interrupted('SIGTERM').toJSON()).toEqual({ code: 'INTERRUPTED', message: 'interrupted (SIGTERM); nothing was written' });
    expect(interrupted('SIGINT').exitCode).toBe(130);
    expect(interrupted('SIGHUP').toJSON()).toEqual({ code: 'HANGUP', message: 'hung up (SIGHUP); nothing was written' });
    expect(interrupted('SIGHUP').exitCode).toBe(129);
    expect(exitCodeOf(interrupted('SIGHUP'))).toBe(129);
    // An AbortSignal's default reason (a DOMException) is no signal name.
    expect(interrupted(AbortSignal.abort().reason).message).toBe('interrupted; nothing was written');
  });

  it('every code has a title', () => {
    for (const code of codes) expect(catalogue[code].title.length, code).toBeGreaterThan(5);
  });
});

describe('FlowError', () => {
  it('is an Error named FlowError with the fields it was given', () => {
    const init = {
      code: 'STEP_FAILED' as const,
      message: 'boom',
      location: { file: 'p.yaml', line: 3, column: 7, length: 4 },
      path: 'map[0].with.where',
      hint: 'try again',
      step: 'map[0] (filter)',
      record: { file: 'data.ndjson', line: 12, index: 11, chunk: 0 },
    };
    const error = new FlowError(init);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FlowError');
    expect(error.message).toBe('boom');
    expect(error.toJSON()).toEqual(init);
    expect(isFlowError(error)).toBe(true);
    expect(isFlowError(new Error('boom'))).toBe(false);
    expect(isFlowError({ ...init })).toBe(false);
  });

  it('toJSON leaves out the fields it was not given (and empty ones)', () => {
    const json = new FlowError({ code: 'BAD_ARGS', message: 'no pipeline', hint: '', path: undefined }).toJSON();
    expect(json).toEqual({ code: 'BAD_ARGS', message: 'no pipeline' });
    expect(Object.keys(json)).toEqual(['code', 'message']);
    expect(JSON.parse(JSON.stringify(new FlowError({ code: 'BAD_ARGS', message: 'm', step: 's' })))).toEqual({ code: 'BAD_ARGS', message: 'm', step: 's' });
  });

  it('round-trips through structured clone as its toJSON (how errors cross threads)', () => {
    const error = new FlowError({ code: 'BAD_RECORD', message: 'bad', record: { chunk: 2, index: 5 } });
    const copy = new FlowError(structuredClone(error.toJSON()));
    expect(copy.toJSON()).toEqual(error.toJSON());
    expect(copy.exitCode).toBe(1);
  });
});

describe('FlowErrors', () => {
  const bad = new FlowError({ code: 'UNKNOWN_KEY', message: 'unknown key `ende`' });
  const run = new FlowError({ code: 'STEP_FAILED', message: 'boom' });

  it('joins the messages and keeps the errors', () => {
    const errors = new FlowErrors([bad, run]);
    expect(errors).toBeInstanceOf(Error);
    expect(errors.name).toBe('FlowErrors');
    expect(errors.message).toBe('unknown key `ende`\nboom');
    expect(errors.errors).toEqual([bad, run]);
  });

  it('exits 2 when any error is an invalid pipeline, else 1', () => {
    expect(new FlowErrors([run, bad]).exitCode).toBe(2);
    expect(new FlowErrors([bad, bad]).exitCode).toBe(2);
    expect(new FlowErrors([run, run]).exitCode).toBe(1);
  });
});

describe('throwIfAny', () => {
  const a = new FlowError({ code: 'MISSING_KEY', message: 'a' });
  const b = new FlowError({ code: 'WRONG_TYPE', message: 'b' });

  it('throws nothing for no errors', () => expect(() => throwIfAny([])).not.toThrow());

  it('throws a single error as itself', () => {
    let thrown: unknown;
    try {
      throwIfAny([a]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(a);
  });

  it('throws several errors as one FlowErrors, in order', () => {
    let thrown: unknown;
    try {
      throwIfAny([a, b]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FlowErrors);
    expect((thrown as FlowErrors).errors).toEqual([a, b]);
    expect((thrown as FlowErrors).message).toBe('a\nb');
  });
});

describe('isFlowError', () => {
  it('recognises a FlowError made by another copy of flow by its shape, and nothing else', () => {
    class OtherCopy extends Error {
      override name = 'FlowError';
      constructor(
        readonly code: string,
        message: string,
      ) {
        super(message);
      }
      toJSON() {
        return { code: this.code, message: this.message };
      }
    }
    expect(isFlowError(new FlowError({ code: 'BAD_RECORD', message: 'x' }))).toBe(true);
    expect(isFlowError(new OtherCopy('BAD_RECORD', 'x'))).toBe(true);
    expect(isFlowError(new OtherCopy('NOT_A_CODE', 'x'))).toBe(false);
    expect(isFlowError(Object.assign(new Error('x'), { code: 'BAD_RECORD' }))).toBe(false);
    expect(isFlowError({ name: 'FlowError', code: 'BAD_RECORD', message: 'x' })).toBe(false);
    expect(isFlowError(null)).toBe(false);
  });
});
