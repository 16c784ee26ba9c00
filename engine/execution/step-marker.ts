// Which plugin map step a worker thread is in, so that the main thread can name it when the thread
// dies or is ended (process.exit, out of memory, a hang past chunk-timeout): a dead thread says
// nothing. Each attempt brings its own shared Int32Array; the thread swaps it in for the task.
// Built-in steps are not marked: their loops stay as they were.

const unshared = new Int32Array(1);
/** The current attempt's marker: the map step's index while a plugin step runs, -1 otherwise. */
export let stepMark: Int32Array = unshared;

/** In the thread, at a task's start. */
export function useStepMarker(marker: SharedArrayBuffer | undefined): void {
  stepMark = marker ? new Int32Array(marker) : unshared;
  stepMark[0] = -1;
}

/** On the main thread, for one attempt. */
export function newStepMarker(): SharedArrayBuffer {
  const marker = new SharedArrayBuffer(4);
  new Int32Array(marker)[0] = -1;
  return marker;
}

/** The map step the attempt's thread was in when it ended, or undefined. */
export function markedStep(marker: SharedArrayBuffer): number | undefined {
  const at = Atomics.load(new Int32Array(marker), 0);
  return at >= 0 ? at : undefined;
}
