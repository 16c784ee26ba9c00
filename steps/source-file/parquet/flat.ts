// Worker: a flat column's values for rows [from, to) of a row group, as record values. The pages
// are decoded by pages.ts; the rows are laid out here rather than by hyparquet's general list
// assembler (the flights group-by spent 17% of its time there): a null where the definition level
// says so, a dictionary entry mapped once and shared by every row that uses it.
import type { DataReader } from 'hyparquet';
import { eachPage, firstValue, type ColumnDecoder } from './pages.js';
import { plain } from './values.js';

export type { ColumnDecoder } from './pages.js';

/** `out`: an array to fill (and cut to length) rather than a new one. */
export function flatValues(reader: DataReader, decoder: ColumnDecoder, from: number, to: number, out = new Array<unknown>(to - from)): unknown[] {
  out.length = to - from;
  eachPage(reader, decoder, from, to, (p) => {
    const { levels, maxDefinition, values, dictionary: dict } = p;
    const start = Math.max(from, p.row);
    const end = Math.min(to, p.row + p.count);
    let j = firstValue(p, start);
    for (let r = start; r < end; r++) {
      if (levels && levels[r - p.row] !== maxDefinition) out[r - from] = null;
      else out[r - from] = dict ? dict[values[j++] as number] : plain(values[j++]);
    }
  });
  return out;
}
