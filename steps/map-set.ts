// set: add or overwrite fields of object records, each the value of an expression.
import { defineStep } from '../engine/contract/step.js';
import { checkExpr, compileExpr, exprFields } from './kit/expr/index.js';
import { badRecord, describeValue, setField } from './kit/record.js';

interface Options {
  fields: Record<string, string>;
}

interface State {
  names: string[];
  fns: ((record: unknown) => unknown)[];
  /** Scratch for one record's new values: all are computed before any is written. */
  values: unknown[];
}

export default defineStep<Options, State>({
  kind: 'map',
  name: 'set',
  summary: 'Add or overwrite fields of each record, each the value of an expression.',
  description:
    'All expressions see the record as it came in (as in SQL or Beam YAML), so their order does not matter: ' +
    'with { a: "r.b", b: "r.a" } the two fields swap. An expression that yields undefined sets null. ' +
    'The record must be an object (not an array); use transform to build one from other values.',
  options: {
    type: 'object',
    properties: {
      fields: {
        type: 'object',
        description: 'New or replaced fields: name -> expression over the record r.',
        minProperties: 1,
        propertyNames: { minLength: 1 },
        additionalProperties: { type: 'string', format: 'flow-expression', minLength: 1, description: 'Expression over the record r (and params.NAME).' },
      },
    },
    required: ['fields'],
    additionalProperties: false,
  },
  examples: [{ title: 'Add a computed field', yaml: 'step: set\nwith:\n  fields:\n    late: "r.delay > 15"\n    hour: "Math.floor(r.time / 100)"' }],
  check: ({ fields }, ctx) =>
    Object.entries(fields).flatMap(([name, source]) => checkExpr(source, ctx?.params).map((issue) => ({ path: `fields.${name}`, ...issue }))),
  setup: ({ fields }, ctx) => ({
    names: Object.keys(fields),
    fns: Object.values(fields).map((source) => compileExpr(source, ctx?.params)),
    values: [],
  }),
  map(record, { names, fns, values }) {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw badRecord(
        `set: the record is ${describeValue(record)}; set works on object records`,
        'use transform to build an object, e.g. expr: "({ value: r })"',
      );
    }
    for (let i = 0; i < fns.length; i++) values[i] = fns[i]!(record);
    // The record belongs to the pipeline: updating it in place saves a copy per record.
    for (let i = 0; i < names.length; i++) setField(record, names[i]!, values[i] === undefined ? null : values[i]);
    return record;
  },
  fields({ fields }) {
    const read = new Set<string>();
    for (const source of Object.values(fields)) {
      const used = exprFields(source);
      if (used === undefined) return undefined;
      for (const f of used) read.add(f);
    }
    return [...read];
  },
});
