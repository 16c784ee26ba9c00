// A URL's byte range owns exactly the lines a file's byte range owns (readers/byte-range.ts ownedRange),
// whatever the cut: long lines crossing several ranges (fetched on past `end`), a byte-order mark,
// CRLF, no final newline; and a server whose file is no longer the planned one is INPUT_CHANGED.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownedRange } from '../../../../steps/source-file/readers/byte-range.js';
import { fetchedRange, ownedBytes, past, type UrlRange } from '../../../../steps/source-file/http/range-text.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-range-text-'));
const bodies = new Map<string, Buffer>();
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = bodies.get(req.url!.slice(1))!;
    const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '')!;
    const start = Number(a);
    if (start >= body.length) return void res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    const end = Math.min(body.length - 1, Number(b));
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}`, etag: `"${body.length}"` }).end(body.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function serve(name: string, body: Buffer): { url: string; file: string } {
  bodies.set(name, body);
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return { url: `${base}/${name}`, file };
}

const range = (url: string, body: Buffer, start: number, end: number): UrlRange => ({
  format: 'lines',
  file: url,
  name: url,
  start,
  end,
  remote: { size: body.length, etag: `"${body.length}"` },
});

describe('a URL byte range', () => {
  const long = 'x'.repeat(300);
  const texts = {
    bom: `\uFEFFfirst\nsecond\n\n${long}\nlast\n`,
    crlf: `a,b\r\n1,2\r\n${long},3\r\n4,5\r\n`,
    unterminated: `{"a":1}\n${long}\n{"é":2}\n{"b":3}`,
    'newline-first': `\n\nab\n${long}${long}\n`,
  };

  it.each(Object.entries(texts))('%s: each cut owns the lines a file range owns; together, the whole text', async (name, text) => {
    const body = Buffer.from(text);
    const { url, file } = serve(name, body);
    const fd = openSync(file, 'r');
    const saved = past.bytes;
    // Shorter than the long line: the fetch past `end` has to go on, doubling.
    past.bytes = 4;
    try {
      for (const step of [1, 2, 3, 7, 64, 301, body.length]) {
        const parts: Buffer[] = [];
        for (let start = 0; start < body.length; start += step) {
          const end = Math.min(body.length, start + step);
          const { bytes, from } = await ownedBytes(range(url, body, start, end));
          const owned = ownedRange(fd, { file, name, start, end });
          // The file's reader drops the byte-order mark at its start too.
          const bom = owned.from === 0 && body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
          expect({ from, text: bytes.toString('latin1') }, `step ${step}, [${start}, ${end})`).toEqual({
            from: Math.min(owned.from + bom, owned.to),
            text: body.toString('latin1', Math.min(owned.from + bom, owned.to), owned.to),
          });
          parts.push(bytes);
        }
        expect(Buffer.concat(parts).toString('utf8')).toBe(text.replace(/^\uFEFF/, ''));
      }
    } finally {
      past.bytes = saved;
      closeSync(fd);
    }
  });

  it('fetched for read: its text (latin1), ascii when it is, and no line number (the main thread counts them)', async () => {
    const body = Buffer.from('{"a":1}\n{"b":2}\n{"c":3}\n');
    const { url } = serve('fetched.ndjson', body);
    const got = await fetchedRange(range(url, body, 3, 12));
    expect(got).toEqual({ format: 'lines', file: url, name: url, start: 0, end: 8, text: '{"b":2}\n', ascii: true });
  });

  it('a file that changed on the server since planning: INPUT_CHANGED naming the URL, the planned and the found version', async () => {
    const body = Buffer.from('one\ntwo\nthree\n');
    const { url } = serve('changed.txt', body);
    const planned = { ...range(url, body, 4, 8), remote: { size: 20, etag: '"20"' } };
    await expect(ownedBytes(planned)).rejects.toMatchObject({
      code: 'INPUT_CHANGED',
      message: `${url} changed on the server after the run was planned: planned 20 bytes, ETag "20"; found 14 bytes, ETag "14"`,
      record: { file: url },
    });
    // Shorter than a range planned past its end: the server answers 416.
    bodies.set('changed.txt', Buffer.from('one\n'));
    await expect(ownedBytes(range(url, body, 8, 14))).rejects.toMatchObject({ code: 'INPUT_CHANGED' });
  });
});
