// The queue's coordinator: a unique check's keys sent by a worker of another machine are spilled here.
import path from 'node:path';
import type { CheckState } from './combiners.js';
import { writeSpill } from './spill.js';

/**
 * A chunk's unique keys that came from another machine (the queue's workers keep them in memory: the
 * coordinator's folder is not theirs) go to this machine's spill folder as they arrive, as a local
 * worker would have written them, so the coordinator's memory holds only the hashes.
 */
export function spillArrived(states: CheckState[] | undefined, folder: string): void {
  states?.forEach((state, check) => {
    for (const block of state.blocks ?? []) {
      if (block.keys === undefined || block.count === 0) continue;
      const file = path.join(folder, `${check}-${block.chunk}.keys`);
      writeSpill(file, block.keys.offsets, block.keys.ats, block.keys.bytes);
      block.file = file;
      delete block.keys;
    }
  });
}
