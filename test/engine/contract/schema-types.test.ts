// Options are typed from the `options` schema literal. The type assertions are checked by compiling
// this very file with the TypeScript compiler (the last test), so a wrong inference fails the suite.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineReducer, defineStep } from '../../../engine/contract/step.js';
import type { FromSchema, MapStep, ReduceStep } from '../../../engine/contract/step.js';

const here = fileURLToPath(import.meta.url);

describe('FromSchema', () => {
  it('maps type, properties, required, default, enum, const, items and additionalProperties', () => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its type is checked
    const schema = {
      type: 'object',
      properties: {
        field: { type: 'string' },
        n: { type: 'integer', default: 10 },
        order: { enum: ['asc', 'desc'] },
        kind: { const: 'hist' },
        buckets: { type: 'array', items: { type: 'number' } },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'boolean' }] },
        maybe: { type: ['string', 'null'] },
        nested: { type: 'object', properties: { a: { type: 'boolean' } }, required: ['a'], additionalProperties: false },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        either: { oneOf: [{ type: 'number' }, { const: 'auto' }] },
      },
      required: ['field'],
      additionalProperties: false,
    } as const;
    expectTypeOf<FromSchema<typeof schema>>().toEqualTypeOf<{
      field: string;
      n: number;
      order?: 'asc' | 'desc';
      kind?: 'hist';
      buckets?: number[];
      pair?: [string, boolean];
      maybe?: string | null;
      nested?: { a: boolean };
      labels?: { [key: string]: string };
      either?: number | 'auto';
    }>();
    expectTypeOf<FromSchema<{ type: 'object'; properties: {}; additionalProperties: false }>>().toEqualTypeOf<{}>();
    expectTypeOf<FromSchema<{ description: 'no type' }>>().toEqualTypeOf<unknown>();
  });
});

describe('defineStep and defineReducer', () => {
  it('infer the options from the schema without `as const`, in every hook', () => {
    const step = defineStep({
      kind: 'map',
      name: 'hour-of',
      summary: 'The hour of a date field.',
      options: {
        type: 'object',
        properties: { field: { type: 'string' }, as: { type: 'string', default: 'hour' }, utc: { type: 'boolean' } },
        required: ['field'],
        additionalProperties: false,
      },
      setup: (options) => {
        expectTypeOf(options).toEqualTypeOf<{ field: string; as: string; utc?: boolean }>();
        return { field: options.field, as: options.as };
      },
      map: (record: Record<string, string>, state) => {
        expectTypeOf(state).toEqualTypeOf<{ field: string; as: string }>();
        return { ...record, [state.as]: new Date(record[state.field]!).getUTCHours() };
      },
      fields: ({ field }) => [field],
    });
    expectTypeOf(step).toEqualTypeOf<MapStep<{ field: string; as: string; utc?: boolean }, { field: string; as: string }>>();
    expect(step.map!({ at: '2001-01-01T05:00:00Z' }, { field: 'at', as: 'hour' })).toEqual({ at: '2001-01-01T05:00:00Z', hour: 5 });
  });

  it('types a reducer accumulator from init and its options from the schema', () => {
    const histogram = defineReducer({
      name: 'histogram',
      summary: 'Counts per bucket.',
      options: { type: 'object', properties: { width: { type: 'number', default: 1 } }, additionalProperties: false },
      setup: ({ width }) => width,
      init: () => ({}) as Record<string, number>,
      add: (acc, record: number, width) => {
        expectTypeOf(width).toEqualTypeOf<number>();
        const key = String(Math.floor(record / width) * width);
        acc[key] = (acc[key] ?? 0) + 1;
        return acc;
      },
      merge: (a, b) => {
        for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
        return a;
      },
      finish: (acc) => acc,
    });
    expectTypeOf(histogram).toEqualTypeOf<ReduceStep<{ width: number }, number, Record<string, number>, Record<string, number>>>();
    expect(histogram.kind).toBe('reduce');
  });

  it('types source and output steps the same way', () => {
    const countdown = defineStep({
      kind: 'source',
      name: 'countdown',
      summary: 'From n down to 1.',
      options: { type: 'object', properties: { from: { type: 'integer', minimum: 1 } }, required: ['from'], additionalProperties: false },
      split: ({ from }) => ({ chunks: [{ data: from }] }),
      read: (chunk) => Array.from({ length: chunk.data }, (_, i) => chunk.data - i),
    });
    expectTypeOf(countdown.split).parameter(0).toEqualTypeOf<{ from: number }>();
    expect([...countdown.read({ index: 0, data: 3 }, undefined)]).toEqual([3, 2, 1]);
    const sink = defineStep({
      kind: 'output',
      name: 'nowhere',
      summary: 'Discards everything.',
      options: { type: 'object', properties: { mode: { enum: ['drop', 'count'], default: 'drop' } }, additionalProperties: false },
      open: ({ mode }) => {
        expectTypeOf(mode).toEqualTypeOf<'drop' | 'count'>();
        return { write: () => {}, commit: async () => {}, abort: async () => {} };
      },
    });
    expect(sink.kind).toBe('output');
  });

  it('keeps explicit type arguments (built-in steps) and refuses wrong option use', () => {
    const explicit = defineStep<{ where: string }, (r: unknown) => boolean>({
      kind: 'map',
      name: 'explicit',
      summary: 'Explicit options type.',
      options: { type: 'object' },
      setup:
        ({ where }) =>
        (r) =>
          String(r) === where,
      map: (r, test) => (test(r) ? r : undefined),
    });
    expectTypeOf(explicit).toEqualTypeOf<MapStep<{ where: string }, (r: unknown) => boolean>>();
    defineStep({
      kind: 'map',
      name: 'wrong',
      summary: 'Reads an option the schema does not have.',
      options: { type: 'object', properties: { field: { type: 'string' } }, additionalProperties: false },
      // @ts-expect-error `feild` is not in the schema
      setup: ({ feild }) => feild,
      map: (r) => r,
    });
    defineStep({
      kind: 'map',
      name: 'optional',
      summary: 'An optional option may be missing.',
      options: { type: 'object', properties: { n: { type: 'number' } }, additionalProperties: false },
      // @ts-expect-error n is optional (no required, no default): possibly undefined
      setup: ({ n }) => n.toFixed(),
      map: (r) => r,
    });
  });

  it('compiles: every type assertion above holds', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.resolve(here, '../../../../tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    )!;
    const program = ts.createProgram([here], { ...config.options, noEmit: true, types: ['node'] });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  }, 60_000);
});
