// flow schema [--for PIPELINE] through the CLI: one branch per step keyed by `step: {const}` whose
// `with:` carries the step's options, descriptions and defaults included; --for adds the pipeline's
// local and npm steps the same way.
import { describe, expect, it } from 'vitest';
import { builtinNames } from '../../../../steps/registry.js';
import { defs, loadBuiltinSteps, stepKinds } from '../../../../engine/planning/schema/schema.js';
import { acceptPlaceholders } from '../../../../engine/planning/schema/placeholders.js';
import { importStep } from '../../../../engine/execution/import-step.js';
import { preparePipeline } from '../../../../engine/planning/prepare.js';
import type { JSONSchema } from '../../../../engine/contract/step.js';
import { runFlow } from '../../../helpers/cli.js';

type Schema = { definitions: Record<string, JSONSchema & { properties?: Record<string, JSONSchema>; oneOf?: JSONSchema[] }> };

async function schemaFrom(args: string[]): Promise<Schema> {
  const run = await runFlow(['schema', ...args]);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as Schema;
}

describe('flow schema', () => {
  it('is draft-07 with one branch per built-in step, keyed by step: {const}, with: its options with descriptions and defaults', async () => {
    const schema = await schemaFrom([]);
    expect((schema as unknown as JSONSchema).$schema).toBe('http://json-schema.org/draft-07/schema#');
    const steps = await loadBuiltinSteps();
    for (const kind of stepKinds) {
      const refs = schema.definitions[defs.slot(kind)]!.oneOf!.map((b) => b.$ref);
      for (const name of builtinNames(kind)) {
        expect(refs).toContain(`#/definitions/${defs.builtin(kind, name)}`);
        const branch = schema.definitions[defs.builtin(kind, name)]!;
        const step = steps.find((s) => s.kind === kind && s.name === name)!;
        expect(branch.properties!.step).toEqual({ const: name, description: step.summary });
        const withProps = (branch.properties!.with as { properties?: Record<string, JSONSchema> }).properties ?? {};
        for (const [key, option] of Object.entries((step.options.properties ?? {}) as Record<string, JSONSchema>)) {
          expect(withProps[key]!.description).toBe(option.description);
          expect(withProps[key]!.default).toEqual(option.default);
        }
      }
    }
  });

  it('--for PIPELINE adds a branch for each local and npm step the pipeline uses', async () => {
    const file = 'pipelines/plugin-steps.yaml';
    const schema = await schemaFrom(['--for', file]);
    const { plan } = await preparePipeline(file, { env: {} });
    const plugins = [...plan.map, plan.reduce!].filter((s) => !builtinNames(s.kind).includes(s.name));
    expect(plugins.map((s) => s.name)).toEqual(['@flow-examples/steps/parse-date', './steps/season.ts', '@flow-examples/steps/histogram']);
    for (const resolved of plugins) {
      const step = await importStep(resolved.module, resolved.exportName);
      const branch = schema.definitions[defs.builtin(resolved.kind, resolved.name)]!;
      expect(branch.properties).toEqual({ step: { const: resolved.name, description: step.summary }, with: acceptPlaceholders(step.options) });
      expect(schema.definitions[defs.slot(resolved.kind)]!.oneOf!.map((b) => b.$ref)).toContain(
        `#/definitions/${encodeURIComponent(defs.builtin(resolved.kind, resolved.name).replace(/~/g, '~0').replace(/\//g, '~1'))}`,
      );
    }
    // Without --for those names are only "some plugin".
    expect((await schemaFrom([])).definitions[defs.builtin('map', './steps/season.ts')]).toBeUndefined();
  });

  it('--for a pipeline that does not resolve is a located error, exit 2', async () => {
    const run = await runFlow(['schema', '--for', 'test/fixtures/plugin-absolute-path/pipeline.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'test/fixtures/plugin-absolute-path/pipeline.yaml:6:11 error: map[0].step: plugin path "/opt/flow-plugins/geo.mjs" is absolute',
    );
  });
});
