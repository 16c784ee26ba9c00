// Runs a map step the way a worker does: setup once, then every record in order.
import type { MapStep } from '../../engine/step.js';
import { ctx } from './reduce-harness.js';

export function runMap<O>(step: MapStep<O>, options: O, records: unknown[]): unknown[] {
  const state = step.setup?.(options, ctx);
  const out: unknown[] = [];
  for (const record of records) {
    if (step.flatMap) out.push(...step.flatMap(record, state));
    else {
      const value = step.map!(record, state);
      if (value !== undefined) out.push(value);
    }
  }
  return out;
}
