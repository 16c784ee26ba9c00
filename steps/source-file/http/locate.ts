// Main thread, on errors only: a URL range's text with the line number of its first line, so its
// records are located by line as a file's are. Workers cannot count the lines before their range
// without fetching them; here the newlines before it are counted by fetching that prefix, on from the
// last range asked about (a dead-letter run asks chunk after chunk, in order), never twice.
import type { TextChunk } from '../readers/index.js';
import { fetchPlanned, ownedBytes, type UrlRange } from './range-text.js';

const PIECE = 8 << 20;

let last: { range: UrlRange; text: TextChunk } | undefined;
let counted: { url: string; size: number; etag?: string; offset: number; newlines: number } | undefined;

export async function locatedRange(range: UrlRange): Promise<TextChunk> {
  if (last?.range === range) return last.text;
  const { bytes, from } = await ownedBytes(range);
  const line = (await newlinesBefore(range, from)) + 1;
  const { remote: _, ...rest } = range;
  const text: TextChunk = { ...rest, start: 0, end: bytes.length, text: bytes.toString('latin1'), line };
  last = { range, text };
  return text;
}

async function newlinesBefore(range: UrlRange, offset: number): Promise<number> {
  const { size, etag } = range.remote;
  const same = counted && counted.url === range.file && counted.size === size && counted.etag === etag && counted.offset <= offset;
  let { offset: pos, newlines } = same ? counted! : { offset: 0, newlines: 0 };
  for (; pos < offset; pos = Math.min(offset, pos + PIECE)) {
    const bytes = await fetchPlanned(range, pos, Math.min(offset, pos + PIECE));
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) newlines++;
  }
  counted = { url: range.file, size, ...(etag ? { etag } : {}), offset, newlines };
  return newlines;
}
