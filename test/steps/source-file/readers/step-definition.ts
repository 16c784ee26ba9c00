// Shared checks of a source step's definition: its options schema and its examples.
import { Ajv } from 'ajv';
import { expect } from 'vitest';
import { parse } from 'yaml';
import type { SourceStep } from '../../../../engine/contract/step.js';

type Schema = { properties?: Record<string, Schema>; description?: string; additionalProperties?: unknown; type?: unknown };

function everyPropertyDescribed(schema: Schema, at: string): void {
  expect(schema.additionalProperties, `${at}.additionalProperties`).toBe(false);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    expect(prop.description, `${at}.${name} has a description`).toMatch(/\S/);
    if (prop.type === 'object') everyPropertyDescribed(prop, `${at}.${name}`);
  }
}

export function checkDefinition(step: SourceStep, name: string): void {
  expect(step.kind).toBe('source');
  expect(step.name).toBe(name);
  everyPropertyDescribed(step.options as Schema, 'options');
  const validate = new Ajv({ strict: true, allErrors: true }).compile(step.options);
  expect(step.examples?.length).toBeGreaterThan(0);
  for (const example of step.examples ?? []) {
    const doc = parse(example.yaml) as { step: string; with?: object };
    expect(doc.step).toBe(name);
    expect(validate(doc.with ?? {}), `${example.title}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
}

export function validator(step: SourceStep): (options: unknown) => boolean {
  const validate = new Ajv({ strict: true, useDefaults: true }).compile(step.options);
  return (options) => validate(options) as boolean;
}
