// The chunks the data checks may have to locate an example in, once the run is over. A descriptor (a
// file and a byte range) is kept as it is. A chunk that carries its data (a stream's: gzip, standard
// input) is not kept in memory, which would hold the whole decompressed input: it is kept only when
// one of its records is already an example, or, with a `unique` check (whose examples are known at
// the end only), its bytes go to the check's spill folder and are read back for the examples alone.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Chunk } from '../contract/step.js';
import type { CheckState } from '../execution/checks/combiners.js';
import { carriesData } from '../execution/carried.js';

interface CarriedData {
  bytes?: ArrayBufferLike;
  text?: string;
  /** Where the bytes were put (the spill folder). */
  spilled?: string;
}

export interface CheckChunks {
  /** After the chunk's states were absorbed into `states`. */
  keep(chunk: Chunk, states: CheckState[]): void;
  /** The chunk as the source can locate its records in, or undefined when none of them can be an example. */
  get(index: number): Chunk | undefined;
}

export function checkChunks(spill: string | undefined): CheckChunks {
  const kept = new Map<number, Chunk>();
  return {
    keep(chunk, states) {
      if (!carriesData(chunk) || states.some((state) => state.examples.some(([index]) => index === chunk.index))) return void kept.set(chunk.index, chunk);
      if (spill === undefined) return;
      const { bytes, text, ...rest } = chunk.data as CarriedData;
      const file = path.join(spill, `chunk-${chunk.index}.bytes`);
      writeFileSync(file, bytes !== undefined ? new Uint8Array(bytes) : Buffer.from(text!, 'latin1'));
      kept.set(chunk.index, { ...chunk, data: { ...rest, spilled: file } });
    },
    get(index) {
      const chunk = kept.get(index);
      const spilled = (chunk?.data as CarriedData | null)?.spilled;
      if (chunk === undefined || spilled === undefined) return chunk;
      const { spilled: _file, ...rest } = chunk.data as CarriedData;
      const bytes = readFileSync(spilled);
      return { ...chunk, data: { ...rest, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) } };
    },
  };
}
