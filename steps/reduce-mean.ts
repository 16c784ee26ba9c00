// mean: the exact sum over the count, rounded once; never a mean of chunk means.
import { defineStep } from '../engine/contract/step.js';
import { addNumbers, addValue, exactSum, meanResult, mergeExactSum, type ExactSum } from './kit/numbers/exact-sum.js';
import { exactReader, type ExactReader } from './kit/record.js';

interface Options {
  field?: string;
}

interface Acc {
  sum: ExactSum;
  /** Non-null values added. */
  count: number;
}

type Reader = ExactReader;

export default defineStep<Options, Reader, Acc, number | null>({
  kind: 'reduce',
  name: 'mean',
  summary: 'The arithmetic mean of a numeric field (or of the records themselves).',
  description:
    'null and missing values are skipped and not counted (like SQL AVG); any other non-number is an error. ' +
    'The result is the exact sum divided by the count, rounded once, so it is the same whatever the chunking. ' +
    'The mean of no values is null.',
  options: {
    type: 'object',
    properties: {
      field: { type: 'string', minLength: 1, description: 'Field to average; when omitted, the records themselves are numbers.' },
    },
    additionalProperties: false,
  },
  examples: [{ title: 'Average delay', yaml: 'step: mean\nwith: { field: delay }' }],
  setup: ({ field }) => exactReader('mean', field),
  init: () => ({ sum: exactSum(), count: 0 }),
  add(acc, record, read) {
    const v = read(record);
    if (v !== undefined) {
      addValue(acc.sum, v);
      acc.count++;
    }
    return acc;
  },
  merge(a, b) {
    mergeExactSum(a.sum, b.sum);
    a.count += b.count;
    return a;
  },
  finish: (acc) => meanResult(acc.sum, acc.count),
  fields: ({ field }) => (field === undefined ? undefined : [field]),
  fast: {
    numbers(acc, values, read) {
      if (!read.wholeRecord) for (let i = 0; i < values.length; i++) read(values[i]); // throws: a number has no field
      addNumbers(acc.sum, values);
      acc.count += values.length;
      return acc;
    },
  },
});
