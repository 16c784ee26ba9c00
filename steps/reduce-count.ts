// count: the number of records.
import { defineStep } from '../engine/contract/step.js';

export default defineStep<Record<string, never>, undefined, number, number>({
  kind: 'reduce',
  name: 'count',
  summary: 'The number of records.',
  description: 'Counts every record, whatever its value (null included). No records give 0.',
  options: { type: 'object', properties: {}, additionalProperties: false },
  examples: [{ title: 'Count records', yaml: 'step: count' }],
  init: () => 0,
  add: (acc) => acc + 1,
  merge: (a, b) => a + b,
  finish: (acc) => acc,
  // Counting reads no field: readers may skip them all.
  fields: () => [],
});
