// Worker: the data pages of a flat column chunk that hold rows [from, to), decoded but not laid out
// into rows: each page's definition levels, and its values or (dictionary-encoded) its indices with
// the dictionary mapped once (values.ts). No page before `from` is decompressed. flat.ts lays them
// out as record values, columns.ts as indices into the dictionary.
import type { DataReader, DecodedArray } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { convert } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { getMaxDefinitionLevel } from 'hyparquet/src/schema.js';
import { readIndices, readLevelsV1 } from './hybrid.js';
import { plain } from './values.js';

/** hyparquet's settings for decoding one leaf column (its ColumnDecoder type, not exported by name). */
export type ColumnDecoder = Parameters<typeof readDataPage>[2];

export interface Page {
  /** The row group's row of the page's first row, and the page's rows. */
  row: number;
  count: number;
  /** Each row's definition level; undefined when every row has a value. */
  levels: ArrayLike<number> | undefined;
  /** The level of a row with a value. */
  maxDefinition: number;
  /** The values of the rows that have one: indices into `dictionary` when it is set (valid during the callback), else record values' raw form. */
  values: DecodedArray;
  dictionary: unknown[] | undefined;
}

/** Calls `page` for each data page overlapping rows [from, to), in order; throws if the chunk ends before `to`. */
export function eachPage(reader: DataReader, decoder: ColumnDecoder, from: number, to: number, page: (p: Page) => void): void {
  const { view } = reader;
  const maxDefinition = getMaxDefinitionLevel(decoder.schemaPath);
  // The leaf as if REQUIRED: hyparquet then reads a page's values alone, after the levels read here.
  const leaf = decoder.schemaPath[decoder.schemaPath.length - 1]!;
  const required = {
    ...decoder,
    schemaPath: [...decoder.schemaPath.slice(0, -1), { ...leaf, element: { ...leaf.element, repetition_type: 'REQUIRED' as const } }],
  };
  let dictionary: unknown[] | undefined;
  let row = 0;
  while (row < to && reader.offset < view.byteLength) {
    const header = parquetHeader(reader);
    const bytes = new Uint8Array(view.buffer, view.byteOffset + reader.offset, header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = decompressPage(bytes, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors);
      const count = header.dictionary_page_header!.num_values;
      const raw = readPlain({ view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }, decoder.type, count, decoder.element.type_length);
      dictionary = Array.from(convert(raw, decoder) as ArrayLike<unknown>, plain);
      continue;
    }
    let count: number;
    let levels: ArrayLike<number> | undefined;
    let values: DecodedArray;
    let encoding: string;
    if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header!;
      count = daph.num_values;
      if (row + count <= from) {
        row += count;
        continue;
      }
      const page = decompressPage(bytes, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors);
      const pageView = new DataView(page.buffer, page.byteOffset, page.byteLength);
      let at = 0;
      let present = count;
      if (maxDefinition > 0) {
        const read = readLevelsV1(pageView, count, maxDefinition);
        ({ levels, present, end: at } = read);
      }
      // Dictionary indices decoded here (hybrid.ts), other encodings by hyparquet.
      if (dictionary && daph.encoding.endsWith('_DICTIONARY')) values = readIndices(pageView, at, present, indicesScratch(present));
      else ({ dataPage: values } = readDataPage(page.subarray(at), { ...daph, num_values: present }, required));
      encoding = daph.encoding;
    } else if (header.type === 'DATA_PAGE_V2') {
      const daph2 = header.data_page_header_v2!;
      count = daph2.num_rows;
      if (row + count <= from) {
        row += count;
        continue;
      }
      ({ definitionLevels: levels, dataPage: values } = readDataPageV2(bytes, header, decoder));
      encoding = daph2.encoding;
    } else {
      // An index page or an unknown kind: not data.
      continue;
    }
    const dict = encoding.endsWith('_DICTIONARY') ? dictionary : undefined;
    if (encoding.endsWith('_DICTIONARY') && !dict) throw new Error('a dictionary-encoded page without a dictionary page before it');
    // Levels are left out when the page has no null: every value is there.
    const nullable = levels !== undefined && levels.length > 0;
    page({ row, count, levels: nullable ? levels : undefined, maxDefinition, values: dict ? values : convert(values, decoder), dictionary: dict });
    row += count;
  }
  if (row < to) throw new Error(`the column chunk ends after ${row} rows, ${to} expected`);
}

let scratch: Uint32Array = new Uint32Array(0);

/** The worker's array for a page's indices, valid until the next page: a page callback copies what it keeps. */
function indicesScratch(count: number): Uint32Array {
  if (scratch.length < count) scratch = new Uint32Array(count);
  return scratch.subarray(0, count);
}

/** The index among the page's values of row `start`'s value (or of the next row's, when it has none). */
export function firstValue(p: Page, start: number): number {
  if (!p.levels) return start - p.row;
  let j = 0;
  for (let k = 0; k < start - p.row; k++) if (p.levels[k] === p.maxDefinition) j++;
  return j;
}
