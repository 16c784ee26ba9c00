// Chunk tasks and results between machines. A result is encoded by the thread that made it (pool/
// worker.ts, for a task marked `encode`), so a flow worker only sends bytes on. v8.serialize keeps
// what structured clone keeps between threads (BigInt sums, Maps, typed arrays: the reducers'
// types); map-only records that JSON gives back exactly go as JSON, which the coordinator parses
// two to four times faster (docs/architecture.md, "Fast paths"; off: FLOW_NO_QUEUE_JSON=1).
import { deserialize, serialize } from 'node:v8';
import type { ChunkResult, ChunkTask, WorkerPlan } from '../messages.js';

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

export const encode = (value: ChunkTask | WorkerPlan): string => serialize(value).toString('base64');
export const decode = <T>(base64: string): T => deserialize(Buffer.from(base64, 'base64')) as T;

// The first byte of an encoded result says how the rest is written.
const V8 = 0x56; // 'V'
const JSON_TEXT = 0x4a; // 'J'

/** The result as bytes of their own buffer (it is moved between threads): JSON when `json` and its records survive JSON exactly, else v8. */
export function encodeResult(result: ChunkResult, json: boolean): Uint8Array {
  const asJson = json && result.type === 'records' && jsonExact(result);
  const body = asJson ? Buffer.from(JSON.stringify(result)) : serialize(result);
  const bytes = new Uint8Array(body.length + 1);
  bytes[0] = asJson ? JSON_TEXT : V8;
  bytes.set(body, 1);
  return bytes;
}

export function decodeResult(bytes: Uint8Array): ChunkResult {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.byteLength - 1);
  if (bytes[0] === JSON_TEXT) return JSON.parse(body.toString('utf8')) as ChunkResult;
  if (bytes[0] === V8) return deserialize(body) as ChunkResult;
  throw new Error(`an encoded chunk result starts with byte ${bytes[0]}, not V or J`);
}

/**
 * True when JSON.parse(JSON.stringify(value)) is a deep copy of value: only strings, booleans, null,
 * finite numbers other than -0, dense arrays and plain objects without undefined members.
 */
export function jsonExact(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !jsonExact(value[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!jsonExact((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}
