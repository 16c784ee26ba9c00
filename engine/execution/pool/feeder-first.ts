// A stream's chunks (a gzip file, standard input) are cut on the main thread, with zlib on libuv's
// pool, while the worker threads parse them. With as many threads as cores the parsers take the
// cores the feeder needs, and then wait for their next chunk: the gzipped flights group-by ran
// 1.70-2.09 s with the threads at the main thread's priority against 1.43-1.59 s below it. So a
// thread given such a chunk lowers its own priority (Linux: setpriority applies to the calling
// thread only): the feeder runs whenever it has work, the threads take every cycle it leaves.
// A plain file's chunks are read by the threads themselves: nothing changes for them.
import os from 'node:os';

/** A nice value of 10: the feeder gets about ten times the parsers' share when both want a core. */
const FEEDER_FIRST_NICE = 10;

let lowered = false;

/** On a worker thread, once: below the main thread's priority. Where it cannot be done, nothing changes. */
export function yieldToFeeder(): void {
  if (lowered) return;
  lowered = true;
  try {
    os.setPriority(0, Math.max(os.getPriority(0), FEEDER_FIRST_NICE));
  } catch {
    // Not permitted or not supported here: the threads keep their priority.
  }
}
