// Two turns of the event loop, so that one of them polls: a signal's handler, a due timer or a
// reported rejection runs there, even when the work before it ran synchronously. About 8 us.
export async function turnEventLoop(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}
