// Shared checks for the built-in reducers (combiners) and step definitions.
import { expect } from 'vitest';
import type fc from 'fast-check';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { JSONSchema, ReduceStep, Step } from '../../engine/contract/step.js';
import { canon, checkReducerLaws } from '../../engine/testing/index.js';

export const ctx = { pipelineDir: '/tmp' };

export { canon };

export function reduceAll<O>(step: ReduceStep<O>, options: O, records: unknown[]): unknown {
  const state = step.setup?.(options, ctx);
  let acc = step.init(state);
  for (const r of records) acc = step.add(acc, r, state);
  return step.finish(acc, state);
}

/** The combiner laws, through the same public check plugin authors get from flow-pipelines/testing. */
export function checkCombiner<O>(step: ReduceStep<O>, options: O, records: fc.Arbitrary<unknown[]>, numRuns = 300): void {
  checkReducerLaws(step, { options: options as Partial<O>, records, numRuns, ctx });
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
  // flow's own format: an option that is an expression.
  const validate = new Ajv({ allErrors: true, formats: { 'flow-expression': true } }).compile(step.options);
  expect(step.examples?.length).toBeGreaterThan(0);
  for (const example of step.examples ?? []) {
    const doc = parse(example.yaml) as { step: string; with?: unknown };
    expect(doc.step, example.title).toBe(step.name);
    expect(validate(doc.with ?? {}), `${example.title}: ${JSON.stringify(validate.errors)}`).toBe(true);
    if (step.check && doc.with) expect(step.check(doc.with), example.title).toEqual([]);
  }
}
