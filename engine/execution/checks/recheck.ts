// The records a `unique` check must look at again, found by running their chunk once more through the
// source and the map steps on the main thread (only chunks holding a repeated hash, only to read keys).
import type { Chunk } from '../../contract/step.js';
import type { WorkerPlan } from '../messages.js';
import type { Program } from '../program.js';
import { rejecting } from '../rejecting.js';
import { fieldReader } from '../../../steps/kit/record.js';
import { keyText } from './key.js';

/** The exact key and the place among the records read of each record at `seqs` (ascending) among those the chunk hands on. */
export function keysAt(program: Program, plan: WorkerPlan, chunk: Chunk, fields: string[], seqs: Uint32Array): Array<{ key: string; at: number }> {
  const readers = fields.map(fieldReader);
  const found: Array<{ key: string; at: number }> = [];
  let seq = 0;
  let at = 0;
  let next = 0;
  const sink = (record: unknown) => {
    if (next < seqs.length && seqs[next] === seq) {
      found.push({ key: keyText(record, readers) ?? '', at });
      next++;
    }
    seq++;
  };
  // As runChunk does: with on-error skip or dead-letter a rejected record hands nothing on.
  const pipe = plan.onError && plan.onError !== 'fail' ? rejecting(program, sink, plan, [], () => at) : program.pipe(sink);
  program.read(chunk, (record) => {
    pipe(record);
    at++;
  });
  if (found.length !== seqs.length) throw new Error(`bug: chunk ${chunk.index} gave other records on the unique check's second look`);
  return found;
}
