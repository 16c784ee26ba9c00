// A chunk that carries its data's bytes (a stream's: a gzip file, standard input; `data.bytes`, a
// SharedArrayBuffer on this thread) goes to its thread through a slot of a few reused
// SharedArrayBuffers: one copy into the slot, and the thread reads the bytes where they are
// (byte-range.ts). Posting a string instead copies it twice (piscina's clone here, the thread's on
// its side); posting the chunk's own buffer would let the threads keep it alive until they collect
// it (peak RSS 400 MiB instead of 200 for the gzipped flights). A slot is given back when its attempt
// ends, so the slots are at most the attempts in flight however long the stream.
import { carriedBytes } from '../carried.js';
import type { ChunkTask } from '../messages.js';

export interface SharedTexts {
  /** The task with its chunk's bytes in a slot, and the function that gives the slot back. */
  ship(task: ChunkTask): { task: ChunkTask; release(): void };
}

export function sharedTexts(): SharedTexts {
  const free: SharedArrayBuffer[] = [];
  const take = (size: number): SharedArrayBuffer => {
    const at = free.findIndex((slot) => slot.byteLength >= size);
    if (at >= 0) return free.splice(at, 1)[0]!;
    // Room for a little longer chunk next time: chunks end at a line end after about the same size.
    return new SharedArrayBuffer(Math.ceil((size * 1.25) / 65536) * 65536);
  };
  return {
    ship(task) {
      const bytes = carriedBytes(task.chunk);
      if (!bytes) return { task, release: () => {} };
      const data = task.chunk.data as { end: number };
      const end = data.end;
      const slot = take(end);
      new Uint8Array(slot, 0, end).set(new Uint8Array(bytes, 0, end));
      let released = false;
      return {
        task: { ...task, chunk: { ...task.chunk, data: { ...data, bytes: slot } } },
        release() {
          if (released) return;
          released = true;
          free.push(slot);
        },
      };
    },
  };
}
