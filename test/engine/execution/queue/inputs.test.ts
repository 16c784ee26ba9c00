import { appendFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../helpers/temp.js';
import { FlowError } from '../../../../engine/contract/errors.js';
import { checkInputs, chunkInputs, stampInputs } from '../../../../engine/execution/queue/inputs.js';

const temp = tempDirs('flow-inputs-');

const dir = temp();
const a = path.join(dir, 'a.ndjson');
const b = path.join(dir, 'b.ndjson');
writeFileSync(a, '{"x":1}\n');
writeFileSync(b, '{"x":2}\n');

describe('input stamps', () => {
  it('stamps local files only (a URL has no mtime to trust)', () => {
    const stamps = stampInputs([{ path: a }, { path: 'https://example.com/x.csv' }]);
    expect(stamps).toEqual([{ path: a, size: 8, mtimeMs: expect.any(Number) }]);
  });

  it("a chunk naming one of the run's inputs is checked against that one, any other against all", () => {
    const stamps = stampInputs([{ path: a }, { path: b }]);
    expect(chunkInputs({ index: 0, data: { file: b, start: 0, end: 8 } }, stamps)).toEqual([stamps[1]]);
    expect(chunkInputs({ index: 0, data: { start: 0, end: 10 } }, stamps)).toEqual(stamps);
    expect(chunkInputs({ index: 0, data: { file: '/elsewhere' } }, stamps)).toEqual(stamps);
  });

  it('refuses a file whose size or mtime changed, naming the planned and the found ones', () => {
    const file = path.join(dir, 'c.ndjson');
    writeFileSync(file, '{"x":3}\n');
    utimesSync(file, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const stamps = stampInputs([{ path: file }]);
    expect(() => checkInputs(stamps, path.basename)).not.toThrow();
    appendFileSync(file, '{"x":4}\n');
    utimesSync(file, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    let thrown: unknown;
    try {
      checkInputs(stamps, path.basename);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FlowError);
    expect((thrown as FlowError).toJSON()).toEqual({
      code: 'INPUT_CHANGED',
      message: 'c.ndjson changed after the run was planned: planned 8 bytes, mtime 2020-01-01T00:00:00.000Z; found 16 bytes, mtime 2020-01-01T00:00:00.000Z',
      record: { file: 'c.ndjson' },
      hint: 'every machine must read the same file: do not write an input while a run reads it, then run again',
    });
  });
});
