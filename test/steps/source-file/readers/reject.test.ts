// Tolerant reading (the split hint `rejects`, for on-error skip and dead-letter): every reader,
// projected or not, hands over a BadRecord for a line it cannot read, with the line number and text,
// and goes on: the records around it are those a clean file gives. Without the hint it throws the
// same error. Small read and piece sizes put block boundaries everywhere.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadRecord, isBadRecord } from '../../../../engine/contract/bad-record.js';
import type { Chunk } from '../../../../engine/contract/step.js';
import fileSource from '../../../../steps/source-file/step.js';
import { sizes } from '../../../../steps/source-file/readers/byte-range.js';
import { caught, tempDir, write } from './helpers.js';

const dir = tempDir();
const saved = { ...sizes };
beforeEach(() => Object.assign(sizes, { read: 96, piece: 40 }));
afterEach(() => Object.assign(sizes, saved));

/** Every chunk's records, read through `read` and through `fast.each`, which must agree. */
async function readAll(file: string, hints: { rejects?: boolean; fields?: string[] }, bytes?: number): Promise<unknown[]> {
  const plan = await fileSource.split({ path: file }, { pipelineDir: dir, chunking: bytes ? { bytes } : {}, workers: 2, hints });
  const records: unknown[] = [];
  let index = 0;
  for await (const c of plan.chunks) {
    const chunk = structuredClone({ ...c, index: index++ }) as Chunk;
    const viaRead = [...fileSource.read(chunk, undefined)];
    const viaEach: unknown[] = [];
    fileSource.fast!.each!(chunk, undefined, (r) => viaEach.push(r));
    expect(viaEach.map(plain)).toEqual(viaRead.map(plain));
    records.push(...viaRead);
  }
  // Small chunkings do cut the file.
  if (bytes !== undefined) expect(index).toBeGreaterThan(2);
  return records;
}

const plain = (r: unknown) => (isBadRecord(r) ? { bad: r.error, raw: r.raw } : r);

/**
 * 60 lines of records; line numbers (1-based) in `bad` are broken; a blank line at 30 (NDJSON). The
 * text is written as latin1: a \u00ff in a bad line is the byte 0xff, never UTF-8, read as U+FFFD.
 */
function lines(kind: 'ndjson' | 'csv', bad: Map<number, string>): { text: string; expected: unknown[] } {
  const out: string[] = kind === 'csv' ? ['a,b,c'] : [];
  const expected: unknown[] = [];
  for (let line = out.length + 1; line <= 60; line++) {
    const i = line * 7;
    if (bad.has(line)) {
      out.push(bad.get(line)!);
      expected.push({ line, raw: bad.get(line)!.replaceAll('\u00ff', '\ufffd') });
    } else if (kind === 'ndjson' && line === 30) out.push('');
    else {
      out.push(kind === 'csv' ? `${i},x${i},${i % 2 === 0}` : JSON.stringify({ a: i, b: `x${i}`, c: i % 2 === 0 }));
      expected.push({ a: i, b: `x${i}`, c: i % 2 === 0 });
    }
  }
  return { text: `${out.join('\n')}\n`, expected };
}

const cases = {
  ndjson: new Map([
    [1, '{"a":'],
    [9, '{"a":1,"b":"\u00ffx","c":true}'],
    [17, 'not json'],
    [23, '{"a":1,"b":"x","a":2}'],
    [24, '{"a":1,"b":{"k":1, "k" :2}}'],
    [25, '{"a":1e400}'],
    [31, '{"a":1}}'],
    [60, '[1,'],
  ]),
  csv: new Map([
    [2, '1,2'],
    [9, '1,\u00ffx,true'],
    [17, '1,"open,3'],
    [23, '1,x,1e400'],
    [24, '1,"x",-2E+309'],
    [25, '1e999,x,true'],
    [31, '1,2,3,4'],
    [60, 'only'],
  ]),
};

describe.each(['ndjson', 'csv'] as const)('%s', (kind) => {
  const { text, expected } = lines(kind, cases[kind]);
  const file = write(dir, `x.${kind}`, Buffer.from(text, 'latin1'));
  const fields = ['c', 'a'];

  it.each([
    ['whole records', undefined],
    ['projected', fields],
  ])('%s: a BadRecord with its line and text in place of each bad line, whatever the chunking', async (_name, picked) => {
    for (const bytes of [undefined, 50, 333]) {
      const records = await readAll(file, { rejects: true, ...(picked ? { fields: picked } : {}) }, bytes);
      expect(records.length).toBe(expected.length);
      records.forEach((record, k) => {
        const want = expected[k] as { line?: number; raw?: string; a?: number; c?: boolean };
        if (want.line !== undefined) {
          expect(record).toBeInstanceOf(BadRecord);
          const bad = record as BadRecord;
          expect(bad.raw).toBe(want.raw);
          expect(bad.error).toMatchObject({ code: 'RECORD_PARSE', record: { file: `x.${kind}`, line: want.line } });
        } else expect(record).toEqual(picked ? { c: want.c, a: want.a } : want);
      });
    }
  });

  it('without the hint, throws the error the BadRecord carries', async () => {
    const tolerant = (await readAll(file, { rejects: true })).find(isBadRecord)!;
    for (const picked of [undefined, fields]) {
      const error = await caught(() => readAll(file, picked ? { fields: picked } : {}));
      expect(error.toJSON()).toEqual(tolerant.error);
    }
  });
});

describe('lines and JSON arrays', () => {
  it('lines: a line of invalid UTF-8 is a BadRecord with U+FFFD for its bad bytes; without the hint it throws', async () => {
    const file = write(dir, 'x.txt', Buffer.concat([Buffer.from('one\ntwo '), Buffer.from([0xc3, 0x28]), Buffer.from(' x\n\nfour\n')]));
    {
      const records = await readAll(file, { rejects: true });
      expect(records.map(plain)).toEqual([
        'one',
        {
          bad: {
            code: 'RECORD_PARSE',
            message: 'invalid UTF-8 at column 5 (the byte 0xc3)',
            record: { file: 'x.txt', line: 2 },
            hint: expect.stringContaining('UTF-8') as string,
          },
          raw: 'two \ufffd( x',
        },
        '',
        'four',
      ]);
    }
    const error = await caught(() => readAll(file, {}));
    expect(error.toJSON()).toMatchObject({ message: 'invalid UTF-8 at column 5 (the byte 0xc3)', record: { line: 2 } });
  });

  it('json: a bad element, one with invalid UTF-8, a repeated key or an overflow is a BadRecord; the others are read', async () => {
    const elements = ['{"a":1}', '{"a":}', '{"a":"\u00ff"}', '{"a":2,\n "a":3}', '[1e400]', '{"a":4}'];
    const file = write(dir, 'x.json', Buffer.from(`[\n${elements.join(',\n')}\n]\n`, 'latin1'));
    for (const bytes of [undefined, 20]) {
      const plan = await fileSource.split({ path: file }, { pipelineDir: dir, chunking: bytes ? { bytes } : {}, workers: 2, hints: { rejects: true } });
      const records: unknown[] = [];
      for await (const c of plan.chunks) records.push(...fileSource.read(structuredClone({ ...c, index: 0 }) as Chunk, undefined));
      expect(records.map(plain)).toEqual([
        { a: 1 },
        { bad: { code: 'RECORD_PARSE', message: expect.stringMatching(/^invalid JSON: /) as string, record: { file: 'x.json', line: 3 } }, raw: '{"a":}' },
        {
          bad: expect.objectContaining({ message: 'invalid UTF-8 at column 7 (the byte 0xff)', record: { file: 'x.json', line: 4 } }) as object,
          raw: '{"a":"\ufffd"}',
        },
        {
          bad: expect.objectContaining({ message: 'the key "a" appears twice in one object, at column 2', record: { file: 'x.json', line: 6 } }) as object,
          raw: '{"a":2,\n "a":3}',
        },
        {
          bad: expect.objectContaining({
            message: expect.stringMatching(/^the number 1e400 is too large .*, at column 2$/) as string,
            record: { file: 'x.json', line: 7 },
          }) as object,
          raw: '[1e400]',
        },
        { a: 4 },
      ]);
    }
    // Without the hint the first bad element fails the read, located.
    const error = await caught(async () => {
      const plan = await fileSource.split({ path: file }, { pipelineDir: dir, chunking: {}, workers: 2, hints: {} });
      for await (const c of plan.chunks) [...fileSource.read(structuredClone({ ...c, index: 0 }) as Chunk, undefined)];
    });
    expect(error.toJSON()).toMatchObject({ code: 'RECORD_PARSE', record: { file: 'x.json', line: 3 } });
  });
});
