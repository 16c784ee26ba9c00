// min: Math.min (least, also over BigInts) is commutative and associative even for -0 and NaN, so any grouping gives the same result.
import { defineStep } from '../engine/contract/step.js';
import { least, type Num } from './kit/numbers/extremes.js';
import { exactReader } from './kit/record.js';

interface Options {
  field?: string;
}

type Reader = (record: unknown) => Num | undefined;

export default defineStep<Options, Reader, Num | null, Num | null>({
  kind: 'reduce',
  name: 'min',
  summary: 'The smallest value of a numeric field (or of the records themselves).',
  description:
    'null and missing values are skipped, like SQL; any other non-number is an error. ' +
    'With no values the result is null. A NaN value makes the result NaN, as in Math.min.',
  options: {
    type: 'object',
    properties: {
      field: { type: 'string', minLength: 1, description: 'Numeric field; when omitted, the records themselves are numbers.' },
    },
    additionalProperties: false,
  },
  examples: [{ title: 'The smallest delay', yaml: 'step: min\nwith: { field: delay }' }],
  setup: ({ field }) => exactReader('min', field),
  init: () => null,
  add(acc, record, read) {
    const v = read(record);
    return v === undefined ? acc : acc === null ? v : least(acc, v);
  },
  merge: (a, b) => (a === null ? b : b === null ? a : least(a, b)),
  finish: (acc) => acc,
  fields: ({ field }) => (field === undefined ? undefined : [field]),
});
