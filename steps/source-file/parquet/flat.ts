// Worker: a flat column's values for rows [from, to) of a row group, as record values. hyparquet's
// page readers decode each page; the rows are laid out here rather than by hyparquet's general
// list assembler (the flights group-by spent 17% of its time there): a null where the definition
// level says so, a dictionary entry mapped once (values.ts) and shared by every row that uses it,
// and no page before `from` decompressed.
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

/** `out`: an array to fill (and cut to length) rather than a new one. */
export function flatValues(reader: DataReader, decoder: ColumnDecoder, from: number, to: number, out = new Array<unknown>(to - from)): unknown[] {
  out.length = to - from;
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
      if (dictionary && daph.encoding.endsWith('_DICTIONARY')) values = readIndices(pageView, at, present);
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
    if (!dict) values = convert(values, decoder);
    // Levels are left out when the page has no null: every value is there.
    const nullable = levels !== undefined && levels.length > 0;
    const start = Math.max(from, row);
    const end = Math.min(to, row + count);
    // The value of row `start`: past the values of the rows before it in the page.
    let j = nullable ? 0 : start - row;
    if (nullable) {
      for (let k = 0; k < start - row; k++) if (levels![k] === maxDefinition) j++;
    }
    for (let r = start; r < end; r++) {
      if (nullable && levels![r - row] !== maxDefinition) out[r - from] = null;
      else out[r - from] = dict ? dict[values[j++] as number] : plain(values[j++]);
    }
    row += count;
  }
  if (row < to) throw new Error(`the column chunk ends after ${row} rows, ${to} expected`);
  return out;
}
