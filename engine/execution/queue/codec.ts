// Chunk tasks and results between machines. v8.serialize keeps what structured clone keeps between
// threads (BigInt sums, Maps, typed arrays: the reducers' types), so a result merges exactly as it
// would from a local thread.
import { deserialize, serialize } from 'node:v8';
import type { ChunkResult, ChunkTask, WorkerPlan } from '../messages.js';
import { INLINE_BYTES } from './settings.js';

/** A job's data: the run and the chunk descriptor (never the records). */
export interface JobData {
  runId: string;
  index: number;
  /** The ChunkTask, v8-serialized, base64. */
  task: string;
}

/** What a worker's job returns: the result inline (base64) or the key it was SET under, and who ran it. */
export interface JobReturn {
  worker: string;
  inline?: string;
  key?: string;
}

export const encode = (value: ChunkTask | ChunkResult | WorkerPlan): string => serialize(value).toString('base64');
export const decode = <T>(base64: string): T => deserialize(Buffer.from(base64, 'base64')) as T;

/** The result's bytes, and whether they fit in the job's return value. */
export function encodeResult(result: ChunkResult): { bytes: Buffer; inline: boolean } {
  const bytes = serialize(result);
  return { bytes, inline: bytes.length <= INLINE_BYTES };
}
