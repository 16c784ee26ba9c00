// sum: exact, and the same whatever the chunking (see engine/numeric/exact-sum.ts).
import { defineStep } from '../engine/contract/step.js';
import { addNumbers, addValue, exactSum, mergeExactSum, sumResult, type ExactSum } from './kit/numbers/exact-sum.js';
import { exactReader, type ExactReader } from './kit/record.js';

interface Options {
  field?: string;
}

type Reader = ExactReader;

export default defineStep<Options, Reader, ExactSum, number | bigint>({
  kind: 'reduce',
  name: 'sum',
  summary: 'The sum of a numeric field (or of the records themselves), exact and independent of chunking.',
  description:
    'null and missing values are skipped, like SQL; any other non-number is an error. A sum of integers is ' +
    "exact like Python's, even past 2^53 (printed as a bare integer); a sum with fractions is the exact sum " +
    'rounded once to the nearest double (like math.fsum), so it never depends on the order of the records ' +
    'or on how they were chunked. The sum of no values is 0.',
  options: {
    type: 'object',
    properties: {
      field: { type: 'string', minLength: 1, description: 'Field to sum; when omitted, the records themselves are numbers.' },
    },
    additionalProperties: false,
  },
  examples: [
    { title: 'Total delay', yaml: 'step: sum\nwith: { field: delay }' },
    { title: 'Sum of numbers', yaml: 'step: sum' },
  ],
  setup: ({ field }) => exactReader('sum', field),
  init: exactSum,
  add(acc, record, read) {
    const v = read(record);
    if (v !== undefined) addValue(acc, v);
    return acc;
  },
  merge: mergeExactSum,
  finish: sumResult,
  fields: ({ field }) => (field === undefined ? undefined : [field]),
  fast: {
    numbers(acc, values, read) {
      if (read.wholeRecord) addNumbers(acc, values);
      else for (let i = 0; i < values.length; i++) read(values[i]); // throws: a number has no field
      return acc;
    },
  },
});
