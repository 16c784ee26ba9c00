// Runs a map step the way a worker does, without cloning (so tests can check identity): setup once,
// then every record in order.
import { mapRecords } from '../../engine/testing/run-step.js';
import type { MapStep } from '../../engine/contract/step.js';
import { ctx } from './reduce-harness.js';

export function runMap<O>(step: MapStep<O>, options: O, records: unknown[]): unknown[] {
  return mapRecords(step, step.setup?.(options, ctx), records);
}
