// Worker: a flat column's rows [from, to) as a Column (engine/contract/step.ts): while every page is
// dictionary-encoded, each row's index into the dictionary, a null row pointing at a null appended
// to it; a page in another encoding (a writer gives up on a dictionary that grows too big) turns the
// column into its values from there on, the rows before it looked up once.
import type { DataReader } from 'hyparquet';
import type { Column } from '../../../engine/contract/step.js';
import { eachPage, firstValue, type ColumnDecoder } from './pages.js';
import { plain } from './values.js';

/** `spare`: indices and values arrays to fill rather than new ones (the column is valid until they are refilled). */
export function flatColumn(reader: DataReader, decoder: ColumnDecoder, from: number, to: number, spare: ColumnSpare): Column {
  const rows = to - from;
  if (spare.indices.length < rows) spare.indices = new Uint32Array(rows);
  const indices = spare.indices.subarray(0, rows);
  let dictionary: unknown[] | undefined;
  let nullAt = -1;
  let out: unknown[] | undefined;
  eachPage(reader, decoder, from, to, (p) => {
    const { levels, maxDefinition, values } = p;
    const start = Math.max(from, p.row);
    const end = Math.min(to, p.row + p.count);
    let j = firstValue(p, start);
    if (!out && p.dictionary && (dictionary === undefined || dictionary === p.dictionary)) {
      dictionary = p.dictionary;
      if (!levels && values instanceof Uint32Array) {
        indices.set(values.subarray(j, j + end - start), start - from);
        return;
      }
      for (let r = start; r < end; r++) {
        if (levels && levels[r - p.row] !== maxDefinition) {
          if (nullAt < 0) nullAt = dictionary.push(null) - 1;
          indices[r - from] = nullAt;
        } else indices[r - from] = values[j++] as number;
      }
      return;
    }
    if (!out) {
      // From here on, values: those of the rows so far looked up in the dictionary.
      out = spare.values;
      out.length = rows;
      for (let r = 0; r < start - from; r++) out[r] = dictionary![indices[r]!];
    }
    const dict = p.dictionary;
    for (let r = start; r < end; r++) {
      if (levels && levels[r - p.row] !== maxDefinition) out[r - from] = null;
      else out[r - from] = dict ? dict[values[j++] as number] : plain(values[j++]);
    }
  });
  if (out) return { values: out };
  return { dictionary: dictionary ?? [], indices };
}

export interface ColumnSpare {
  indices: Uint32Array;
  values: unknown[];
}

export function columnSpare(): ColumnSpare {
  return { indices: new Uint32Array(0), values: [] };
}
