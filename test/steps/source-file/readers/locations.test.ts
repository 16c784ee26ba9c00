// Every reader reports the exact line of a bad record, and locate() the exact line of every good
// one, wherever the chunk boundaries (chunking.bytes), the read blocks and the projecting readers'
// texts (byte-range.ts `sizes`) fall: files with blank lines, CRLF and a byte-order mark.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Chunk } from '../../../../engine/contract/step.js';
import { sizes } from '../../../../steps/source-file/readers/byte-range.js';
import fileSource from '../../../../steps/source-file/step.js';
import { caught, runSource, tempDir, write } from './helpers.js';

type Format = 'ndjson' | 'csv' | 'tsv' | 'lines' | 'json';
type Bad = 'syntax' | 'width' | 'quote' | 'utf8' | 'overflow' | 'dup';

const dir = tempDir();
const saved = { ...sizes };
afterEach(() => Object.assign(sizes, saved));

// A row: blank (where the format skips blank lines) or a record padded to a random length.
const row = fc.record({ blank: fc.boolean(), n: fc.integer({ min: -999, max: 999 }), pad: fc.string({ maxLength: 30 }), wide: fc.boolean() });
type Row = { blank: boolean; n: number; pad: string; wide: boolean };

const layout = fc.record({
  rows: fc.array(row, { minLength: 1, maxLength: 30 }),
  at: fc.nat(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  chunk: fc.integer({ min: 1, max: 400 }),
  read: fc.integer({ min: 1, max: 70 }),
  piece: fc.integer({ min: 1, max: 70 }),
});
type Layout = { rows: Row[]; at: number; crlf: boolean; bom: boolean; chunk: number; read: number; piece: number };

/** Plain text for a record's padding: no quote, delimiter, backslash or line break. */
function text(row: Row): string {
  const s = row.pad.replace(/[^a-zA-Z0-9 ]/g, '');
  return row.wide ? `${s}é😀` : s;
}

/** The line of a bad record in `format`, as bytes. */
function badLine(format: Format, bad: Bad): Buffer {
  const t = format === 'tsv' ? '\t' : ',';
  const lines: Record<Bad, string> = {
    syntax: format === 'json' ? '{"a":}' : '{"a":1,"b":',
    width: `1${t}2${t}3`,
    quote: `"1${t}x`,
    utf8: format === 'ndjson' || format === 'json' ? '{"a":1,"b":"\u00ff"}' : `1${t}\u00ff`,
    overflow: format === 'csv' || format === 'tsv' ? `1e400${t}x` : '{"a":1e400,"b":"x"}',
    dup: '{"a":1,"b":"x","a":2}',
  };
  // \u00ff as latin1 is the byte 0xff, which UTF-8 never has.
  return Buffer.from(lines[bad], bad === 'utf8' ? 'latin1' : 'utf8');
}

interface Built {
  bytes: Buffer;
  /** The line of each record, in order. */
  lines: number[];
  /** The line of the bad record, when there is one. */
  badAt?: number;
}

/** A file of `format` with the rows of `l`, and a bad record at row `l.at` when `bad` is given. */
function build(format: Format, l: Layout, bad?: Bad): Built {
  const eol = l.crlf ? '\r\n' : '\n';
  const parts: Buffer[] = [];
  const lines: number[] = [];
  let line = 1;
  let badAt: number | undefined;
  const push = (s: string | Buffer): void => {
    parts.push(typeof s === 'string' ? Buffer.from(s) : s, Buffer.from(eol));
    line++;
  };
  if (l.bom) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  const t = format === 'tsv' ? '\t' : ',';
  if (format === 'csv' || format === 'tsv') push(`a${t}b`);
  if (format === 'json') push('[');
  const at = l.at % l.rows.length;
  // JSON elements are written with a leading comma (after the first), so blank lines may follow any.
  let elements = 0;
  const element = (s: string | Buffer): void => push(elements++ > 0 ? Buffer.concat([Buffer.from(','), Buffer.from(s)]) : s);
  l.rows.forEach((r, i) => {
    if (bad !== undefined && i === at) {
      badAt = line;
      return format === 'json' ? element(badLine(format, bad)) : push(badLine(format, bad));
    }
    // Blank lines: skipped by ndjson and csv, records of lines, blanks between JSON elements.
    if (r.blank && format !== 'lines') return push(format === 'csv' || format === 'tsv' ? '' : ' ');
    lines.push(line);
    if (format === 'lines') return push(r.blank ? '' : text(r));
    if (format === 'csv' || format === 'tsv') return push(`${r.n}${t}${text(r)}`);
    const record = `{"a":${r.n},"b":${JSON.stringify(text(r))}}`;
    return format === 'json' ? element(record) : push(record);
  });
  if (format === 'json') push(']');
  return { bytes: Buffer.concat(parts), lines, ...(badAt !== undefined ? { badAt } : {}) };
}

let n = 0;

async function run(format: Format, projected: boolean, l: Layout, built: Built): Promise<{ chunks: Chunk[]; name: string }> {
  const name = `f${n++}.${format === 'lines' ? 'txt' : format}`;
  write(dir, name, built.bytes);
  Object.assign(sizes, { read: l.read, piece: l.piece });
  const fields = projected ? { fields: ['a'] } : {};
  const { chunks } = await runSource(fileSource, { path: name }, { pipelineDir: dir, chunking: { bytes: l.chunk }, ...fields });
  return { chunks, name };
}

const readers: [Format, boolean, Bad[]][] = [
  ['ndjson', false, ['syntax', 'utf8', 'overflow', 'dup']],
  ['ndjson', true, ['syntax', 'utf8', 'overflow', 'dup']],
  ['csv', false, ['width', 'quote', 'utf8', 'overflow']],
  ['csv', true, ['width', 'quote', 'utf8', 'overflow']],
  ['tsv', true, ['width', 'quote', 'utf8', 'overflow']],
  ['lines', false, ['utf8']],
  ['json', false, ['syntax', 'utf8', 'overflow', 'dup']],
];

describe('record locations under random block and chunk boundaries', () => {
  for (const [format, projected, all] of readers) {
    const bads = all;
    if (bads.length === 0) continue;
    const title = `${format}${projected ? ', projected' : ''}`;

    it(`${title}: the exact line of a bad record (${bads.join(', ')})`, async () => {
      await fc.assert(
        fc.asyncProperty(layout, fc.constantFrom(...bads), async (l, bad) => {
          const built = build(format, l, bad);
          const err = await caught(() => run(format, projected, l, built));
          expect(err.code, String(err.stack)).toBe('RECORD_PARSE');
          expect(err.record.line).toBe(built.badAt);
        }),
        { numRuns: 60 },
      );
    });

    it(`${title}: locate() gives the exact line of every record`, async () => {
      await fc.assert(
        fc.asyncProperty(layout, async (l) => {
          const built = build(format, l);
          const { chunks, name } = await run(format, projected, l, built);
          const found: (number | undefined)[] = [];
          for (const chunk of chunks) {
            const count = [...fileSource.read(chunk, undefined)].length;
            for (let k = 0; k < count; k++) found.push((await fileSource.locate!(chunk, k, { path: name }))?.line);
          }
          expect(found).toEqual(built.lines);
        }),
        { numRuns: 60 },
      );
    });
  }
});
