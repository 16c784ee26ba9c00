// The footer, read once for validation and the split alike, and read again once the file changes.
import { utimesSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readParquetMetadata, topLevelNames } from '../../../../steps/source-file/parquet/index.js';
import { tempDir } from '../readers/helpers.js';
import { counterFile, typesFile } from './helpers.js';

const dir = tempDir();

describe('readParquetMetadata', () => {
  it('reads an unchanged file once; a file written again, or touched, anew', () => {
    const file = typesFile(dir, 'm.parquet');
    const first = readParquetMetadata(file, 'm.parquet');
    expect(readParquetMetadata(file, 'm.parquet')).toBe(first);
    expect(topLevelNames(first)).toContain('i64');
    counterFile(dir, 'm.parquet', 10);
    const rewritten = readParquetMetadata(file, 'm.parquet');
    expect(topLevelNames(rewritten)).toEqual(['n', 'tag']);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const touched = readParquetMetadata(file, 'm.parquet');
    expect(touched).not.toBe(rewritten);
    expect(touched).toEqual(rewritten);
  });
});
