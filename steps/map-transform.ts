// transform: replace each record with the value of an expression.
import { defineStep } from '../engine/contract/step.js';
import { checkExpr, compileExpr, exprFields, exprYieldsNumber } from './kit/expr/index.js';

interface Options {
  expr: string;
}

export default defineStep<Options, (record: unknown) => unknown>({
  kind: 'map',
  name: 'transform',
  summary: 'Replace each record with the value of an expression.',
  description:
    'Every record gives exactly one record: an expression that yields undefined (a missing field, say) ' +
    'gives null, never a dropped record; use filter to drop records.',
  options: {
    type: 'object',
    properties: {
      expr: {
        type: 'string',
        format: 'flow-expression',
        minLength: 1,
        description: 'Expression over the record r whose value is the new record, e.g. "r * r".',
      },
    },
    required: ['expr'],
    additionalProperties: false,
  },
  examples: [
    { title: 'Square numbers', yaml: 'step: transform\nwith: { expr: "r * r" }' },
    { title: 'Keep one field as the record', yaml: 'step: transform\nwith: { expr: "r.delay" }' },
  ],
  check: ({ expr }, ctx) => checkExpr(expr, ctx?.params).map((issue) => ({ path: 'expr', ...issue })),
  setup: ({ expr }, ctx) => compileExpr(expr, ctx?.params),
  // undefined would drop the record (the map contract): a transform maps one to one, so it is null.
  map(record, fn) {
    const value = fn(record);
    return value === undefined ? null : value;
  },
  fields: ({ expr }) => exprFields(expr),
  fast: {
    numbers: {
      // Numbers to numbers without boxing each result. Any other result, or a throw, goes record by
      // record, where a failure is located at its record (expressions are pure: running twice is safe).
      map(values, fn) {
        const out = new Float64Array(values.length);
        try {
          for (let i = 0; i < values.length; i++) {
            const value = fn(values[i]);
            if (typeof value !== 'number') return undefined;
            out[i] = value;
          }
        } catch {
          return undefined;
        }
        return out;
      },
      always: ({ expr }) => exprYieldsNumber(expr),
    },
  },
});
