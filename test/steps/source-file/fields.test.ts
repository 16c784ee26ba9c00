// The file source's field declaration: a CSV or TSV header, read from the first file; nothing otherwise.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFields } from '../../../steps/source-file/fields.js';
import fileSource from '../../../steps/source-file/step.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-source-fields-'));
const files: Record<string, string> = {
  'a.csv': '\uFEFFdate,"temp max",,date\r\n2012-01-01,1,2,3\r\n',
  'b.csv': 'other,names\n1,2\n',
  'x.tsv': 'k\tv\n1\t2\n',
  'semi.txt': 'a;b\n1;2\n',
  'empty.csv': '',
  'r.ndjson': '{"a":1}\n',
};
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
const ctx = { pipelineDir: dir };

describe('sourceFields', () => {
  it("gives a CSV header's names as the reader names the columns (BOM, quotes, unnamed and repeated columns)", () => {
    expect(sourceFields({ path: 'a.csv' }, ctx)).toEqual(['date', 'temp max', 'column2', 'date_1']);
  });

  it('reads the first file of a glob, a TSV, and a delimiter set in the options', () => {
    expect(sourceFields({ path: '*.csv' }, ctx)).toEqual(['date', 'temp max', 'column2', 'date_1']);
    expect(sourceFields({ path: 'x.tsv' }, ctx)).toEqual(['k', 'v']);
    expect(sourceFields({ path: 'semi.txt', format: 'csv', csv: { delimiter: ';' } }, ctx)).toEqual(['a', 'b']);
  });

  it('is undefined without a header, for other formats, for an empty file and when the input is missing', () => {
    expect(sourceFields({ path: 'b.csv', csv: { header: false } }, ctx)).toBeUndefined();
    expect(sourceFields({ path: 'r.ndjson' }, ctx)).toBeUndefined();
    expect(sourceFields({ path: 'semi.txt' }, ctx)).toBeUndefined();
    expect(sourceFields({ path: 'empty.csv' }, ctx)).toBeUndefined();
    expect(sourceFields({ path: 'nowhere/*.csv' }, ctx)).toBeUndefined();
  });

  it('is the step’s declaration', () => {
    expect(fileSource.fields).toBe(sourceFields);
  });
});
