// The stream path: a byte stream cut into chunks of whole lines that carry their bytes and first line
// number. Pieces and chunk sizes put boundaries at every position; gzip files (multi-member too) give
// exactly the records, errors and locations of the same text read as a plain file.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BadRecord } from '../../../../engine/contract/bad-record.js';
import type { Chunk } from '../../../../engine/contract/step.js';
import { streamChunks, type StreamSpec } from '../../../../steps/source-file/readers/stream-chunks.js';
import { decodedStream } from '../../../../steps/source-file/readers/stream-open.js';
import type { TextChunk } from '../../../../steps/source-file/readers/chunks.js';
import fileSource from '../../../../steps/source-file/step.js';
import { caught, runSource, tempDir, write } from './helpers.js';

const dir = tempDir();

async function* pieces(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(at, cut);
    at = cut;
  }
}

async function collect(bytes: Buffer, cuts: number[], spec: Partial<StreamSpec>): Promise<TextChunk[]> {
  const out: TextChunk[] = [];
  for await (const c of streamChunks(pieces(bytes, cuts), { format: 'lines', file: 'x', name: 'x', bytes: 8, ...spec })) out.push(c.data);
  return out;
}

const bytesOf = (c: TextChunk) => Buffer.from(c.bytes!);

const text = Buffer.from('\ufeffa,b\n"x, ""1""",2\r\n\n"q\n3,"4,5"\nlast');

describe('streamChunks', () => {
  it('cuts at line ends only, whatever the pieces and the chunk size; lines counted across chunks', async () => {
    const body = text.subarray(3); // without the byte-order mark
    for (let size = 1; size <= body.length + 1; size++) {
      for (let a = 0; a <= text.length; a++) {
        for (const b of [a, Math.min(text.length, a + 1), Math.min(text.length, a + 5)]) {
          const chunks = await collect(text, [a, b], { bytes: size });
          expect(Buffer.concat(chunks.map(bytesOf)).toString()).toBe(body.toString());
          let line = 1;
          for (const [i, c] of chunks.entries()) {
            expect(c.line).toBe(line);
            expect(c.start).toBe(0);
            expect(c.end).toBe(c.bytes!.byteLength);
            expect(c.text).toBeUndefined();
            const s = bytesOf(c).toString('latin1');
            if (i < chunks.length - 1) expect(s.endsWith('\n')).toBe(true);
            line += s.split('\n').length - 1;
          }
        }
      }
    }
  });

  it('takes the CSV header from the first line, even split over pieces, and hands it to every chunk', async () => {
    for (let a = 0; a <= 12; a++) {
      const chunks = await collect(text, [a], { format: 'csv', bytes: 4, csv: { header: true, delimiter: ',', infer: true } });
      expect(chunks[0]!.line).toBe(2);
      for (const c of chunks) expect(c.csv).toEqual({ header: ['a', 'b'], delimiter: ',', infer: true });
      expect(Buffer.concat(chunks.map(bytesOf)).toString()).toBe(text.subarray(7).toString());
    }
  });

  it('gives no chunk for an empty stream or a lone header', async () => {
    expect(await collect(Buffer.alloc(0), [], {})).toEqual([]);
    expect(await collect(Buffer.from('\ufeff'), [1], {})).toEqual([]);
    expect(await collect(Buffer.from('a,b'), [1], { format: 'csv', csv: { header: true, delimiter: ',', infer: true } })).toEqual([]);
  });
});

describe('decodedStream', () => {
  it('inflates gzip found by its magic bytes, members one after another, from pieces of any size', async () => {
    const plain = Buffer.from(Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join(''));
    const gz = Buffer.concat([gzipSync(plain.subarray(0, 777)), gzipSync(plain.subarray(777))]);
    for (const cuts of [[], [1], [2, 3], [gz.length >> 1], Array.from({ length: gz.length - 1 }, (_, i) => i + 1)]) {
      const out: Buffer[] = [];
      for await (const b of decodedStream(pieces(gz, cuts), 'x.gz', 'lines')) out.push(b);
      expect(Buffer.concat(out).toString()).toBe(plain.toString());
    }
    const out: Buffer[] = [];
    for await (const b of decodedStream(pieces(plain, [1]), 'x', 'lines')) out.push(b);
    expect(Buffer.concat(out).toString()).toBe(plain.toString());
  });

  it('refuses a stream that is not text, and names a damaged gzip stream', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'), Buffer.from('a,b\n')]);
    const drain = async (bytes: Buffer) => {
      for await (const _ of decodedStream(pieces(bytes, []), '<stdin>', 'csv'));
    };
    let err = await caught(() => drain(gzipSync(zip)));
    expect(err.toJSON()).toMatchObject({
      code: 'INPUT_NOT_TEXT',
      message: '<stdin> looks like a zip file; only gzip is read among compressed formats (it was to be read as csv)',
    });
    err = await caught(() => drain(zip));
    expect(err.code).toBe('INPUT_NOT_TEXT');
    err = await caught(() => drain(gzipSync(Buffer.from('a,b\n'.repeat(1000))).subarray(0, 30)));
    expect(err.toJSON()).toMatchObject({ code: 'INPUT_FAILED', record: { file: '<stdin>' } });
    expect(err.message).toMatch(/^cannot read <stdin>: unexpected end of file/);
  });
});

describe('gzip files through the file source', () => {
  const ndjson = Array.from({ length: 120 }, (_, i) => JSON.stringify({ i, s: i % 7 === 0 ? 'é "q"' : `v${i}`, n: i % 5 === 0 ? null : i * 1.5 })).join('\n');
  const csv = 'i,s,n\r\n' + Array.from({ length: 90 }, (_, i) => `${i},"a, ""${i}""",${i % 3 === 0 ? '' : i / 4}`).join('\r\n') + '\r\n';

  for (const [name, body, fields] of [
    ['rows.ndjson', ndjson, ['s', 'i']],
    ['rows.csv', csv, ['n', 'i']],
    ['rows.txt', ndjson, undefined],
  ] as const) {
    it(`${name}.gz gives the records of ${name}, at every chunk size, single and multi-member, projected or not`, async () => {
      write(dir, name, body);
      const half = Math.floor(body.length / 3);
      write(dir, `${name}.gz`, gzipSync(body));
      write(dir, `multi-${name}.gz`, Buffer.concat([gzipSync(body.slice(0, half)), gzipSync(body.slice(half))]));
      for (const f of [undefined, fields]) {
        const hints = f ? { fields: [...f] } : {};
        const expected = (await runSource(fileSource, { path: name }, { pipelineDir: dir, ...hints })).records;
        for (const bytes of [1, 13, 100, 1000, 1 << 20]) {
          for (const gz of [`${name}.gz`, `multi-${name}.gz`]) {
            const got = await runSource(fileSource, { path: gz }, { pipelineDir: dir, chunking: { bytes }, ...hints });
            expect(got.records).toStrictEqual(expected);
            expect(got.total).toEqual({});
          }
        }
      }
    });
  }

  it('a bad line in a .gz is named by its line in the decompressed text; skipped records are located there too', async () => {
    const lines = ndjson.split('\n');
    lines[77] = '{"i": 77, oops}';
    write(dir, 'bad.ndjson.gz', gzipSync(lines.join('\n')));
    for (const bytes of [10, 500, 1 << 20]) {
      const err = await caught(() => runSource(fileSource, { path: 'bad.ndjson.gz' }, { pipelineDir: dir, chunking: { bytes } }));
      expect(err.code).toBe('RECORD_PARSE');
      expect(err.record).toMatchObject({ file: 'bad.ndjson.gz', line: 78 });
    }
    const plan = await fileSource.split({ path: 'bad.ndjson.gz' }, { pipelineDir: dir, chunking: { bytes: 300 }, workers: 2, hints: { rejects: true } });
    const located: number[] = [];
    let index = 0;
    for await (const c of plan.chunks) {
      const chunk = { ...c, index: index++ } as Chunk<TextChunk>;
      const records = [...fileSource.read(structuredClone(chunk), undefined)];
      for (const [k, r] of records.entries()) if (r instanceof BadRecord) located.push((await fileSource.locate!(chunk, k, {})).line!);
    }
    expect(located).toEqual([78]);
  });

  it('path "-" needs a format: a validation issue at path', () => {
    expect(fileSource.check!({ path: '-' }, { pipelineDir: dir })).toEqual([
      { path: 'path', code: 'INVALID_VALUE', message: 'path "-" (standard input) needs a format', hint: 'set format: ndjson, csv, tsv or lines' },
    ]);
    expect(fileSource.check!({ path: '-', format: 'ndjson' }, { pipelineDir: dir })).toEqual([]);
  });

  it('format json is refused for a .gz file, naming it', async () => {
    write(dir, 'arr.json.gz', gzipSync('[1,2]'));
    const err = await caught(() => runSource(fileSource, { path: 'arr.json.gz' }, { pipelineDir: dir }));
    expect(err.toJSON()).toMatchObject({ code: 'INVALID_VALUE', message: 'arr.json.gz: format json is read from plain files only, not from gzip' });
  });
});
