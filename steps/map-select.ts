// select: keep only the named fields, in the order given.
import { defineStep } from '../engine/contract/step.js';
import { badRecord, describeValue, fieldReader, setField, type FieldReader } from './kit/record.js';

interface Options {
  fields: string[];
}

export default defineStep<Options, { names: string[]; readers: FieldReader[] }>({
  kind: 'map',
  name: 'select',
  summary: 'Keep only the named fields of each record, in the order given.',
  description:
    'A field the record lacks is set to null, so every output record has the same fields (a stable CSV ' +
    'header). The record must be an object. Note that JavaScript lists integer-like names ("2024") first.',
  options: {
    type: 'object',
    properties: {
      fields: {
        type: 'array',
        description: 'Names of the fields to keep, in output order.',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', minLength: 1, description: 'A top-level field name.' },
      },
    },
    required: ['fields'],
    additionalProperties: false,
  },
  examples: [{ title: 'Three columns', yaml: 'step: select\nwith: { fields: [origin, dest, delay] }' }],
  setup: ({ fields }) => ({ names: fields, readers: fields.map(fieldReader) }),
  map(record, { names, readers }) {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw badRecord(`select: the record is ${describeValue(record)}; select works on object records`);
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const value = readers[i]!(record);
      setField(out, names[i]!, value === undefined ? null : value);
    }
    return out;
  },
  fields: ({ fields }) => [...fields],
});
