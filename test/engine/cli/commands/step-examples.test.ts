// Every example in every built-in step definition (what `flow steps NAME` prints) is a valid step of
// its kind: embedded in a minimal pipeline file and put through the real validator and resolver.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { FlowError, FlowErrors } from '../../../../engine/contract/errors.js';
import { preparePipeline } from '../../../../engine/planning/prepare.js';
import { loadBuiltinSteps } from '../../../../engine/planning/schema/schema.js';
import type { Step, StepKind } from '../../../../engine/contract/step.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const indent = (text: string, first: string, rest: string) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join('\n');

/** A pipeline whose `kind` slot is the example, verbatim; the other slots are the simplest possible. */
function embed(kind: StepKind, yaml: string): string {
  const range = 'source:\n  step: range\n  with: { end: 3 }\n';
  if (kind === 'source') return `source:\n${indent(yaml, '  ', '  ')}\n`;
  if (kind === 'map') return `${range}map:\n${indent(yaml, '  - ', '    ')}\n`;
  return `${range}${kind}:\n${indent(yaml, '  ', '  ')}\n`;
}

/** A source example names input files: make one that its path (or glob) matches. */
function materialise(yaml: string): void {
  const input = (parse(yaml) as { with?: { path?: unknown } }).with?.path;
  if (typeof input !== 'string') return;
  const file = path.join(dir, input.replace(/\*\*/g, 'sub').replace(/\*/g, 'x'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
}

let counter = 0;
async function prepareExample(kind: StepKind, yaml: string) {
  const file = path.join(dir, `example-${counter++}.yaml`);
  writeFileSync(file, embed(kind, yaml));
  return preparePipeline(file, { env: {} });
}

const steps = await loadBuiltinSteps();
const cases = steps.flatMap((step: Step) => (step.examples ?? []).map((example) => ({ id: `${step.kind} ${step.name}: ${example.title}`, step, example })));

describe('built-in step examples', () => {
  it('every built-in step has at least one example', () => {
    expect(steps.filter((s) => (s.examples ?? []).length === 0).map((s) => `${s.kind} ${s.name}`)).toEqual([]);
  });

  it.each(cases)('$id', async ({ step, example }) => {
    if (step.kind === 'source') materialise(example.yaml);
    const { plan } = await prepareExample(step.kind, example.yaml);
    const slot = { source: plan.source, map: plan.map[0], reduce: plan.reduce, output: plan.output }[step.kind];
    expect(slot?.name).toBe(step.name);
    const written = (parse(example.yaml) as { with?: Record<string, unknown> }).with ?? {};
    expect(slot?.options).toMatchObject(written);
  });

  it('the same embedding rejects a broken example, at its line', async () => {
    const error = await prepareExample('map', 'step: filter\nwith: { wher: "r > 1" }').catch((e: unknown) => e);
    const errors = error instanceof FlowErrors ? error.errors : [error];
    expect(errors.every((e) => e instanceof FlowError)).toBe(true);
    expect(errors.map((e) => [(e as FlowError).code, (e as FlowError).location?.line])).toContainEqual(['UNKNOWN_KEY', 6]);
  });
});
