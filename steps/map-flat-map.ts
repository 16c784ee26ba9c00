// flat-map: one record becomes the zero or more items of the array an expression gives.
import { defineStep } from '../engine/contract/step.js';
import { checkExpr, compileExpr, exprFields } from './kit/expr/index.js';
import { badRecord, describeValue } from './kit/record.js';

interface Options {
  expr: string;
}

export default defineStep<Options, (record: unknown) => unknown>({
  kind: 'map',
  name: 'flat-map',
  summary: 'Replace each record with the items of the array an expression gives (zero or more records).',
  description:
    'The expression must give an array: [] drops the record, [r, r] doubles it. A value that is not an ' +
    'array is an error naming its type; an undefined item becomes null.',
  options: {
    type: 'object',
    properties: {
      expr: { type: 'string', format: 'flow-expression', minLength: 1, description: 'Expression over the record r giving an array, e.g. "r.tags".' },
    },
    required: ['expr'],
    additionalProperties: false,
  },
  examples: [
    { title: 'One record per tag', yaml: 'step: flat-map\nwith: { expr: "r.tags" }' },
    { title: 'One record per word of a text field', yaml: 'step: flat-map\nwith: { expr: "r.text.split(\' \')" }' },
  ],
  check: ({ expr }, ctx) => checkExpr(expr, ctx?.params).map((issue) => ({ path: 'expr', ...issue })),
  setup: ({ expr }, ctx) => compileExpr(expr, ctx?.params),
  flatMap(record, fn) {
    const items = fn(record);
    if (!Array.isArray(items)) {
      throw badRecord(`flat-map: the expression gave ${describeValue(items)}, not an array`, 'wrap a single value in [ ], or give [] to drop the record');
    }
    // undefined is not a record; the array is fresh or part of the dropped record, so fix it in place.
    for (let i = 0; i < items.length; i++) if (items[i] === undefined) items[i] = null;
    return items;
  },
  fields: ({ expr }) => exprFields(expr),
});
