import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../engine/contract/errors.js';
import { parseExact } from '../../../../steps/source-file/readers/exact-json.js';
import { ndjsonRecordLine, readNdjson } from '../../../../steps/source-file/readers/ndjson.js';
import fileSource from '../../../../steps/source-file/step.js';
import { caught, runSource, tempDir, write } from './helpers.js';

const dir = tempDir();

describe('ndjson', () => {
  it('chunked reads equal a straight parse, blank lines skipped', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('\n', '\r\n', '\n\n', '\n  \n')), { maxLength: 30 }),
        fc.integer({ min: 1, max: 200 }),
        async (values, bytes) => {
          const text = values.map(([v, eol]) => JSON.stringify(v) + eol).join('');
          write(dir, `v${n}.ndjson`, text);
          const { records } = await runSource(fileSource, { path: `v${n++}.ndjson` }, { pipelineDir: dir, chunking: { bytes } });
          // JSON.parse turns -0 into 0 as well: compare with what a straight parse gives (with exact integers).
          expect(records).toEqual(values.map(([v]) => parseExact(JSON.stringify(v))));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads a file without a trailing newline, and an empty file', async () => {
    write(dir, 'tail.jsonl', '{"a":1}\n{"a":2}');
    write(dir, 'empty.ndjson', '');
    expect((await runSource(fileSource, { path: 'tail.jsonl' }, { pipelineDir: dir, chunking: { bytes: 3 } })).records).toEqual([{ a: 1 }, { a: 2 }]);
    expect((await runSource(fileSource, { path: 'empty.ndjson' }, { pipelineDir: dir })).records).toEqual([]);
  });

  it('names the exact line of a bad record in the middle of a multi-chunk file', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, text: 'é'.repeat(i % 7) }));
    lines.splice(3000, 0, '', '  '); // blank lines count as lines, not records
    lines[3456] = '{"i": 3456, oops}';
    write(dir, 'bad.ndjson', lines.join('\n') + '\n');
    const plan = await fileSource.split({ path: 'bad.ndjson' }, { pipelineDir: dir, chunking: { bytes: 4096 }, workers: 4, hints: {} });
    const chunks = [...(plan.chunks as Iterable<any>)].map((c, index) => ({ ...c, index }));
    expect(chunks.length).toBeGreaterThan(20);
    const errors = [];
    for (const chunk of chunks) {
      try {
        for (const _ of fileSource.read(chunk, undefined)) void _;
      } catch (err) {
        errors.push(err);
      }
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(FlowError);
    expect((errors[0] as FlowError).toJSON()).toEqual({
      code: 'RECORD_PARSE',
      message: 'invalid JSON: Expected double-quoted property name at column 13',
      record: { file: 'bad.ndjson', line: 3457 },
      hint: 'each non-blank line of an NDJSON file must be one complete JSON value',
    });
  });

  it('locate() turns the k-th record of a chunk into its line, skipping blank lines', async () => {
    const text = '{"a":0}\n\n{"a":1}\n{"a":2}\n\r\n{"a":3}\n';
    const file = write(dir, 'loc.ndjson', text);
    const range = { file, name: 'loc.ndjson', start: 0, end: text.length };
    expect([0, 1, 2, 3].map((k) => ndjsonRecordLine(range, k))).toEqual([1, 3, 4, 6]);
    const tail = { ...range, start: 10 }; // owns the lines from {"a":2} on
    expect([...readNdjson(tail)]).toEqual([{ a: 2 }, { a: 3 }]);
    expect(ndjsonRecordLine(tail, 1)).toBe(6);
    const chunk = { index: 0, data: { format: 'ndjson' as const, ...tail } };
    expect(await fileSource.locate!(chunk, 0, { path: 'loc.ndjson' })).toEqual({ file: 'loc.ndjson', line: 4 });
  });

  it('the bad line of a straight file', async () => {
    write(dir, 'second.ndjson', '{"ok":true}\n[1,2\n');
    const err = await caught(() => runSource(fileSource, { path: 'second.ndjson' }, { pipelineDir: dir }));
    expect(err.code).toBe('RECORD_PARSE');
    expect(err.record).toEqual({ file: 'second.ndjson', line: 2 });
  });
});
