// max: Math.max (greatest, also over BigInts) is commutative and associative even for -0 and NaN, so any grouping gives the same result.
import { defineStep } from '../engine/contract/step.js';
import { greatest, type Num } from './kit/numbers/extremes.js';
import { exactReader } from './kit/record.js';

interface Options {
  field?: string;
}

type Reader = (record: unknown) => Num | undefined;

export default defineStep<Options, Reader, Num | null, Num | null>({
  kind: 'reduce',
  name: 'max',
  summary: 'The largest value of a numeric field (or of the records themselves).',
  description:
    'null and missing values are skipped, like SQL; any other non-number is an error. ' +
    'With no values the result is null. A NaN value makes the result NaN, as in Math.max.',
  options: {
    type: 'object',
    properties: {
      field: { type: 'string', minLength: 1, description: 'Numeric field; when omitted, the records themselves are numbers.' },
    },
    additionalProperties: false,
  },
  examples: [{ title: 'The largest delay', yaml: 'step: max\nwith: { field: delay }' }],
  setup: ({ field }) => exactReader('max', field),
  init: () => null,
  add(acc, record, read) {
    const v = read(record);
    return v === undefined ? acc : acc === null ? v : greatest(acc, v);
  },
  merge: (a, b) => (a === null ? b : b === null ? a : greatest(a, b)),
  finish: (acc) => acc,
  fields: ({ field }) => (field === undefined ? undefined : [field]),
});
