// Shared checks for the built-in reducers (combiners) and step definitions.
import { expect } from 'vitest';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { JSONSchema, ReduceStep, Step } from '../../engine/step.js';

export const ctx = { pipelineDir: '/tmp' };

/** Exact text of a value: numbers by Object.is (-0, NaN), BigInt distinct from number and string. */
export function canon(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') return `n:${Object.is(v, -0) ? '-0' : String(v)}`;
    if (typeof v === 'bigint') return `b:${v}`;
    if (typeof v === 'string') return `s:${v}`;
    return v === undefined ? 'undefined' : v;
  });
}

export function reduceAll<O>(step: ReduceStep<O>, options: O, records: unknown[]): unknown {
  const state = step.setup?.(options, ctx);
  let acc = step.init(state);
  for (const r of records) acc = step.add(acc, r, state);
  return step.finish(acc, state);
}

/** How to cut the records into chunks and in which tree shape to merge them (cuts may repeat: empty chunks). */
export const chunking = fc.record({ cuts: fc.array(fc.nat(), { maxLength: 8 }), choices: fc.array(fc.nat(), { maxLength: 16 }) });
export type Chunking = { cuts: number[]; choices: number[] };

/** Reduce chunk by chunk, each accumulator cloned as if it crossed a thread, merged in a random tree. */
export function reduceChunked<O>(step: ReduceStep<O>, options: O, records: unknown[], plan: Chunking): unknown {
  const state = step.setup?.(options, ctx);
  const cuts = plan.cuts.map((c) => c % (records.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, records.length];
  const accs = bounds.slice(1).map((end, i) => {
    let acc = step.init(state);
    for (const r of records.slice(bounds[i], end)) acc = step.add(acc, r, state);
    return structuredClone(acc);
  });
  let n = 0;
  const next = () => (plan.choices.length === 0 ? 0 : plan.choices[n++ % plan.choices.length]!);
  const merge = (a: unknown, b: unknown) => step.merge(structuredClone(a), structuredClone(b), state);
  const tree = (lo: number, hi: number): unknown => {
    let acc = hi - lo === 1 ? accs[lo] : undefined;
    if (acc === undefined) {
      const mid = lo + 1 + (next() % (hi - lo - 1));
      acc = merge(tree(lo, mid), tree(mid, hi));
    }
    // Now and then merge with init() on either side: it must be the identity.
    const pick = next() % 5;
    return pick === 1 ? merge(step.init(state), acc) : pick === 2 ? merge(acc, step.init(state)) : acc;
  };
  return step.finish(tree(0, accs.length), state);
}

/** The combiner laws, property-tested: any chunking and merge tree gives exactly the one-chunk result. */
export function checkCombiner<O>(step: ReduceStep<O>, options: O, records: fc.Arbitrary<unknown[]>, numRuns = 300): void {
  fc.assert(
    fc.property(records, chunking, (rs, plan) => {
      expect(canon(reduceChunked(step, options, rs, plan))).toBe(canon(reduceAll(step, options, rs)));
    }),
    { numRuns },
  );
  // Associativity on three chunks, spelled out.
  fc.assert(
    fc.property(records, fc.nat(), fc.nat(), (rs, x, y) => {
      const state = step.setup?.(options, ctx);
      const [i, j] = [x % (rs.length + 1), y % (rs.length + 1)].sort((a, b) => a - b) as [number, number];
      const part = (lo: number, hi: number) => rs.slice(lo, hi).reduce((acc, r) => step.add(acc, r, state), step.init(state));
      const left = step.merge(step.merge(part(0, i), part(i, j), state), part(j, rs.length), state);
      const right = step.merge(part(0, i), step.merge(part(i, j), part(j, rs.length), state), state);
      expect(canon(step.finish(left, state))).toBe(canon(step.finish(right, state)));
    }),
    { numRuns: Math.ceil(numRuns / 3) },
  );
}

/** Every option described, no extra keys, examples that name the step and fit the schema. */
export function checkDefinition(step: Step): void {
  const described = (schema: JSONSchema, path: string): void => {
    if (schema.type === 'object' && schema.properties) expect(schema.additionalProperties, `${path} additionalProperties`).not.toBe(true);
    for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, JSONSchema>)) {
      expect(typeof sub.description, `${path}.${name} has a description`).toBe('string');
      described(sub, `${path}.${name}`);
    }
  };
  expect(step.options.type).toBe('object');
  expect(step.options.additionalProperties).toBe(false);
  described(step.options, step.name);
  expect(step.summary.length).toBeGreaterThan(10);
  const validate = new Ajv({ allErrors: true }).compile(step.options);
  expect(step.examples?.length).toBeGreaterThan(0);
  for (const example of step.examples ?? []) {
    const doc = parse(example.yaml) as { step: string; with?: unknown };
    expect(doc.step, example.title).toBe(step.name);
    expect(validate(doc.with ?? {}), `${example.title}: ${JSON.stringify(validate.errors)}`).toBe(true);
    if (step.check && doc.with) expect(step.check(doc.with), example.title).toEqual([]);
  }
}
