import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../../engine/contract/package.js';
import { builtinNames } from '../../../../steps/registry.js';
import {
  composePipelineSchema,
  defs,
  loadBuiltinSteps,
  pipelineSchema,
  pipelineSchemaFor,
  schemaFile,
  schemaText,
  stepKinds,
} from '../../../../engine/planning/schema/schema.js';
import { preparePipeline } from '../../../../engine/planning/prepare.js';
import { interpolatePipeline } from '../../../../engine/planning/interpolate.js';
import { parsePipeline } from '../../../../engine/planning/parse.js';
import { compileSchema } from '../../../../engine/planning/validate/validators.js';
import { acceptPlaceholders } from '../../../../engine/planning/schema/placeholders.js';
import type { JSONSchema } from '../../../../engine/contract/step.js';

const steps = await loadBuiltinSteps();
const schema = composePipelineSchema(steps);
const definitions = schema.definitions as Record<string, JSONSchema>;

describe('the pipeline schema', () => {
  it('is committed as generated (run `npm run gen:schema` after changing a step)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(schemaText(schema));
    expect(pipelineSchema()).toEqual(schema);
  });

  it('has one branch per built-in step of each kind, keyed by step: {const}, with the step’s own options', () => {
    for (const kind of stepKinds) {
      const branches = (definitions[defs.slot(kind)]!.oneOf as JSONSchema[]).map((b) => b.$ref);
      expect(branches).toEqual([
        `#/definitions/${defs.bare(kind)}`,
        ...builtinNames(kind).map((name) => `#/definitions/${defs.builtin(kind, name)}`),
        `#/definitions/${defs.plugin(kind)}`,
      ]);
      for (const name of builtinNames(kind)) {
        const step = steps.find((s) => s.kind === kind && s.name === name)!;
        const props = definitions[defs.builtin(kind, name)]!.properties as Record<string, JSONSchema>;
        expect(props.step).toEqual({ const: name, description: step.summary });
        expect(props.with).toEqual(acceptPlaceholders(step.options));
      }
    }
  });

  it('lets editors see a ${{ }} placeholder where a typed option goes (the engine checks options after interpolation)', () => {
    const validate = compileSchema(schema);
    const range = (end: unknown) => validate({ source: { step: 'range', with: { end } } });
    expect(range('${{ params.n }}')).toBe(true);
    expect(range(' ${{ env.N }} ')).toBe(true);
    expect(range('ten')).toBe(false);
    expect(range('${{ params.n }} + 1')).toBe(false);
    expect(validate({ source: { step: 'range', with: { end: 3 } }, output: { step: 'stdout', with: { format: '${{ params.format }}' } } })).toBe(true);
    expect(validate({ source: { step: 'range', with: { end: 3 } }, output: { step: 'stdout', with: { format: 'xml' } } })).toBe(false);
    const rangeStep = steps.find((s) => s.kind === 'source' && s.name === 'range')!;
    expect(compileSchema(rangeStep.options)({ end: '${{ params.n }}' })).toBe(false);
  });

  it('closes every object at the top level', () => {
    expect(schema.additionalProperties).toBe(false);
    expect((schema.properties as Record<string, JSONSchema>).chunking!.additionalProperties).toBe(false);
  });

  it('is a valid draft-07 schema that an editor can use on its own: it accepts the example pipelines (interpolated)', () => {
    const validate = compileSchema(schema);
    const dir = path.join(packageRoot, 'pipelines');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const src = parsePipeline(readFileSync(path.join(dir, file), 'utf8'), file);
      interpolatePipeline(src, { env: {} });
      const ok = validate(src.doc.toJS());
      expect({ file, errors: ok ? null : validate.errors }).toEqual({ file, errors: null });
    }
  });

  it('rejects what the validator rejects', () => {
    const validate = compileSchema(schema);
    const ok = (value: unknown) => validate(value);
    expect(ok({ source: { step: 'range', with: { end: 3 } }, reduce: 'count', map: ['./x.ts', { step: 'flow-step-geo', with: { a: 1 } }] })).toBe(true);
    expect(ok({ source: { step: 'range', with: { end: 3 } }, workers: 'auto', chunking: { bytes: '8MiB' } })).toBe(true);
    expect(ok({ source: { step: 'range' } })).toBe(false);
    expect(ok({ source: { step: 'range', with: { end: 3 } }, map: ['filter'] })).toBe(false);
    expect(ok({ source: { step: 'range', with: { end: 3 } }, map: [{ step: 'filter', with: { where: 'r', x: 1 } }] })).toBe(false);
    expect(ok({ source: { step: 'range', with: { end: 3 } }, workers: 0 })).toBe(false);
    expect(ok({ source: { step: 'range', with: { end: 3 } }, chunking: { bytes: 'lots' } })).toBe(false);
    expect(ok({ sourse: { step: 'range', with: { end: 3 } } })).toBe(false);
  });
});

describe('pipelineSchemaFor', () => {
  it('adds a branch per plugin a pipeline uses, with the plugin’s options, so editors complete them too', async () => {
    const file = path.join(packageRoot, 'test', 'fixtures', 'plugins', 'pipeline-local.yaml');
    const { plan } = await preparePipeline(file, { env: {} });
    const forPlan = await pipelineSchemaFor(plan);
    const defsOf = forPlan.definitions as Record<string, JSONSchema>;
    expect(defsOf['map-./steps/hour.ts']!.properties).toMatchObject({ step: { const: './steps/hour.ts' }, with: { required: ['field'] } });
    expect(defsOf['reduce-@acme/flow-steps/parse-ua']).toBeDefined();
    const validate = compileSchema(forPlan);
    const src = parsePipeline(readFileSync(file, 'utf8'), file);
    const value = src.doc.toJS() as { map: { with?: unknown }[] };
    expect(validate(value)).toBe(true);
    value.map[1]!.with = { feild: 'time' };
    expect(validate(value)).toBe(false);
  });
});
