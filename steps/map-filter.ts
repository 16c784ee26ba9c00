// filter: keep the records for which an expression is truthy.
import { defineStep } from '../engine/contract/step.js';
import { checkExpr, compileExpr, exprFields } from './kit/expr/index.js';

interface Options {
  where: string;
}

export default defineStep<Options, (record: unknown) => unknown>({
  kind: 'map',
  name: 'filter',
  summary: 'Keep the records for which an expression is truthy.',
  description: 'Truthy as in JavaScript: false, 0, NaN, "", null and undefined drop the record; anything else keeps it.',
  options: {
    type: 'object',
    properties: {
      where: {
        type: 'string',
        format: 'flow-expression',
        minLength: 1,
        description: 'Expression over the record r (and params.NAME), e.g. "r.delay > params.min_delay".',
      },
    },
    required: ['where'],
    additionalProperties: false,
  },
  examples: [
    { title: 'Late flights', yaml: 'step: filter\nwith: { where: "r.delay > 60" }' },
    { title: 'Flights from two airports', yaml: "step: filter\nwith: { where: \"r.origin == 'SFO' || r.origin == 'OAK'\" }" },
  ],
  check: ({ where }, ctx) => checkExpr(where, ctx?.params).map((issue) => ({ path: 'where', ...issue })),
  setup: ({ where }, ctx) => compileExpr(where, ctx?.params),
  map: (record, test) => (test(record) ? record : undefined),
  fields: ({ where }) => exprFields(where),
  fast: {
    numbers: {
      // A throw goes record by record, where it is located at its record (expressions are pure).
      map(values, test) {
        const kept = new Float64Array(values.length);
        let n = 0;
        try {
          for (let i = 0; i < values.length; i++) if (test(values[i])) kept[n++] = values[i]!;
        } catch {
          return undefined;
        }
        return n === values.length ? kept : kept.slice(0, n);
      },
      always: () => true,
    },
  },
});
