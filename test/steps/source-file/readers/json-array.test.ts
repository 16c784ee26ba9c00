import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLOCK } from '../../../../steps/source-file/readers/byte-range.js';
import { parseExact } from '../../../../steps/source-file/readers/exact-json.js';
import { scanJsonArray } from '../../../../steps/source-file/readers/json-array.js';
import { jsonRecordLine } from '../../../../steps/source-file/readers/json-chunk.js';
import fileSource from '../../../../steps/source-file/step.js';
import { caught, runSource, tempDir, vegaData, write } from './helpers.js';

const dir = tempDir();

describe('json arrays cut between top-level elements', () => {
  it('chunked parses equal JSON.parse (with exact integers), whatever the chunk size', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 25 }),
        fc.constantFrom(0, 2, '\t'),
        fc.integer({ min: 1, max: 200 }),
        async (values, indent, bytes) => {
          const text = JSON.stringify(values, null, indent);
          write(dir, `a${n}.json`, text);
          const { records } = await runSource(fileSource, { path: `a${n++}.json` }, { pipelineDir: dir, chunking: { bytes } });
          expect(records).toEqual(parseExact(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is not fooled by brackets, commas and escaped quotes inside strings', async () => {
    const values = ['a,b', '[', ']', '{"x":1}', 'say \\"hi\\"', '\\', { k: ['],[', { '"': '}\\' }] }, [[], {}], null, -1.5e3, 'ünï 日本 🎉'];
    const text = ` \n[${values.map((v) => JSON.stringify(v)).join(' ,\n  ')}]\n `;
    write(dir, 'tricky.json', text);
    for (let bytes = 1; bytes < 40; bytes++) {
      const { records } = await runSource(fileSource, { path: 'tricky.json' }, { pipelineDir: dir, chunking: { bytes } });
      expect(records).toEqual(values);
    }
  });

  it('keeps string and escape state across 1 MiB read blocks', async () => {
    // The backslash is the last byte of the first block; the quote it escapes opens the second.
    const text = `["${'a'.repeat(BLOCK - 3)}\\"],{", 2, {"k": "}"}]`;
    expect(Buffer.from(text).indexOf('\\"')).toBe(BLOCK - 1);
    write(dir, 'blocks.json', text);
    const pieces = [...scanJsonArray(`${dir}/blocks.json`, 'blocks.json', { bytes: 1 })];
    expect(pieces.map((p) => p.records)).toEqual([1, 1, 1]);
    const { records } = await runSource(fileSource, { path: 'blocks.json' }, { pipelineDir: dir, chunking: { bytes: 1 } });
    expect(records).toEqual(JSON.parse(text));
  });

  it('cuts exactly every `records` elements, and an empty array has no chunk', async () => {
    write(dir, 'ten.json', JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ i }))));
    write(dir, 'none.json', ' [ \n ] ');
    const { chunks, records } = await runSource(fileSource, { path: 'ten.json' }, { pipelineDir: dir, chunking: { records: 3 } });
    expect(chunks.map((c) => c.records)).toEqual([3, 3, 3, 1]);
    expect(chunks.map((c) => (c.data as any).first)).toEqual([0, 3, 6, 9]);
    expect(records).toHaveLength(10);
    expect((await runSource(fileSource, { path: 'none.json' }, { pipelineDir: dir })).chunks).toEqual([]);
  });

  it('reports what is not one array, with the line', async () => {
    const cases: [string, string, number][] = [
      ['{"a":1}', 'invalid JSON array: the file does not start with [', 1],
      ['', 'invalid JSON array: the file holds no array', 1],
      ['[1,\n2,\n', "invalid JSON array: the file ends before the array's closing ']'", 3],
      ['[1,2,\n]', "invalid JSON array: a comma before ']'", 2],
      ['[1,,2]', "invalid JSON array: an empty element (',' with no value before it)", 1],
      ['[1]\n[2]', "invalid JSON array: data after the closing ']'", 2],
      ['[1}', "invalid JSON array: unexpected '}'", 1],
    ];
    for (const [text, message, line] of cases) {
      write(dir, 'bad.json', text);
      const err = await caught(() => runSource(fileSource, { path: 'bad.json' }, { pipelineDir: dir }));
      expect({ code: err.code, message: err.message, record: err.record }).toEqual({ code: 'RECORD_PARSE', message, record: { file: 'bad.json', line } });
    }
  });

  it('an element JSON.parse rejects: its line in a multi-chunk file', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `  {"i": ${i}, "s": "x"}`);
    lines[211] = '  {"i": 211,\n "s": x}'; // an element's first line is named
    write(dir, 'elem.json', `[\n${lines.join(',\n')}\n]\n`);
    const err = await caught(() => runSource(fileSource, { path: 'elem.json' }, { pipelineDir: dir, chunking: { bytes: 500 } }));
    expect(err.toJSON()).toEqual({
      code: 'RECORD_PARSE',
      message: expect.stringMatching(/^invalid JSON: Unexpected token/),
      record: { file: 'elem.json', line: 213 },
    });
    expect(err.message).toContain('"{"i": 211,\n "s": x}" is not valid JSON');
  });

  it('locate() gives the line and index of the k-th element of a chunk', async () => {
    const text = '[\n  1,\n  {"a": "x,y"},\n\n  [2, 3],\n  4\n]';
    const file = write(dir, 'loc.json', text);
    const pieces = [...scanJsonArray(file, 'loc.json', { bytes: 1e9 })];
    expect(pieces).toHaveLength(1);
    expect([0, 1, 2, 3].map((k) => jsonRecordLine(pieces[0]!.data, k))).toEqual([2, 3, 5, 6]);
    const [, second] = [...scanJsonArray(file, 'loc.json', { bytes: 1e9, records: 2 })];
    expect(await fileSource.locate!({ index: 1, ...second! }, 1, { path: 'loc.json' })).toEqual({ file: 'loc.json', line: 6, index: 3 });
  });
});

describe('real data: flights-200k.json (one line, 9.8 MB)', () => {
  it('splits into several chunks whose records equal JSON.parse', async () => {
    const file = vegaData('flights-200k.json');
    const expected = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    const { chunks, records, total } = await runSource(fileSource, { path: file }, { pipelineDir: dir, workers: 4 });
    expect(chunks.length).toBeGreaterThanOrEqual(8);
    expect(chunks.reduce((n, c) => n + c.records!, 0)).toBe(expected.length);
    expect(records.length).toBe(200000); // what JSON.parse counts in vega-datasets 3.2
    expect(records).toEqual(expected);
    expect(total).toEqual({ bytes: 9863892 });
  });
});
