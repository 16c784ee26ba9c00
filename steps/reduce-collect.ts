// collect: every record, in source order (like Pool.map).
import { defineStep } from '../engine/contract/step.js';

export default defineStep<Record<string, never>, undefined, unknown[], unknown[]>({
  kind: 'reduce',
  name: 'collect',
  summary: 'All records as one array, in source order.',
  description: 'The result does not depend on chunking or workers: chunks are merged in source order. No records give [].',
  options: { type: 'object', properties: {}, additionalProperties: false },
  examples: [{ title: 'Collect into an array', yaml: 'step: collect' }],
  init: () => [],
  add(acc, record) {
    acc.push(record);
    return acc;
  },
  merge(a, b) {
    // a precedes b in the source; push one by one (spreading a huge b would overflow the stack).
    for (let i = 0; i < b.length; i++) a.push(b[i]);
    return a;
  },
  finish: (acc) => acc,
  fields: () => undefined,
});
