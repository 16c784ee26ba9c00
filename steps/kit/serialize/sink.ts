// An OutputSink from an encoder and a text destination: the outputs' shared bookkeeping.
import { interrupted } from '../../../engine/contract/errors.js';
import type { OutputSink } from '../../../engine/contract/step.js';
import type { Encoder } from './encoder.js';

/** Where text goes. `write` resolves when the destination can take more (backpressure). */
export interface TextTarget {
  write(text: string): Promise<void>;
  /** Make everything visible (flush, fsync, rename). */
  commit(): Promise<void>;
  /** Drop what was written, if the target can. Called at most once; must not throw. */
  abort(): Promise<void>;
  /** True once the reader is gone (a closed pipe): writing more is pointless. */
  readonly closed?: boolean;
}

/** Records per encoded piece: bounds the size of one string whatever batch the engine hands over. */
const PIECE = 8192;

export function encodingSink(encoder: Encoder, target: TextTarget): OutputSink {
  let state: 'open' | 'committed' | 'aborted' = 'open';
  const ensureOpen = (what: string): void => {
    if (state !== 'open') throw new Error(`output: ${what} after ${state === 'committed' ? 'commit' : 'abort'}`);
  };
  const write = async (records: unknown[]): Promise<void> => {
    ensureOpen('write');
    for (let i = 0; i < records.length && !target.closed; i += PIECE) {
      const text = encoder.batch(records.length <= PIECE ? records : records.slice(i, i + PIECE));
      if (text !== '') await target.write(text);
    }
  };
  return {
    write,
    async writeValue(value) {
      if (Array.isArray(value)) return write(value);
      ensureOpen('writeValue');
      await target.write(encoder.value(value));
    },
    async commit() {
      ensureOpen('commit');
      const tail = encoder.end();
      if (tail !== '') await target.write(tail);
      await target.commit();
      state = 'committed';
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await target.abort();
    },
  };
}

/**
 * Hands records to any sink a piece at a time, so that a signal stops a long write (a chunk's ten
 * megabytes, a collected result) between pieces rather than after the last: what would follow goes
 * to a temp file about to be removed.
 */
export async function writeRecords(sink: OutputSink, records: unknown[], signal?: AbortSignal): Promise<void> {
  for (let at = 0; at < records.length && !sink.closed; at += PIECE) {
    if (signal?.aborted) throw interrupted(signal.reason);
    await sink.write(records.length <= PIECE ? records : records.slice(at, at + PIECE));
  }
}
