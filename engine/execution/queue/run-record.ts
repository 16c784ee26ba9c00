// The record of a run in Redis (`<prefix>:run:<id>`, JSON): what every worker needs to take the
// run's chunks, written once by the coordinator and read once per run by each worker.
import type { Fingerprint } from './fingerprint.js';
import type { InputStamp } from './inputs.js';
import type { Places } from './paths.js';

export interface RunRecord {
  /** The WorkerPlan, v8-serialized, base64, with the coordinator's paths. */
  plan: string;
  /** Where the coordinator's project and flow are: the worker maps paths from them to its own. */
  places: Places;
  fingerprint: Fingerprint;
  inputs: InputStamp[];
  /** retries.chunk-timeout: a worker abandons a chunk running longer (ending its thread) and fails the attempt. */
  chunkTimeoutMs?: number;
  /** Map-only records that JSON gives back exactly may go as JSON (the fast path queueJson, decided here). */
  json: boolean;
}
