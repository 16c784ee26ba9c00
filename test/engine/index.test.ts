// preparePipeline with a pipeline object, in-process (index.e2e.test.ts runs the built package's
// runPipeline in a child process).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { preparePipeline } from '../../engine/planning/prepare.js';

const plugins = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/plugins');

describe('preparePipeline with a pipeline object', () => {
  it('plans it from cwd, with no pipeline file, leaving the object unchanged', async () => {
    const pipeline = { name: 'obj', source: { step: 'range', with: { end: 3 } }, map: [{ step: './steps/double.mjs' }] };
    const before = structuredClone(pipeline);
    const { plan, spec } = await preparePipeline(pipeline, { cwd: plugins, env: {} });
    expect(plan.pipelineFile).toBeUndefined();
    expect(plan.pipelineDir).toBe(plugins);
    expect(plan.map[0]).toMatchObject({
      name: './steps/double.mjs',
      module: pathToFileURL(path.join(plugins, 'steps/double.mjs')).href,
      options: { field: 'value' },
    });
    expect(plan.map[0]!.location).toBeUndefined();
    expect(spec.name).toBe('obj');
    expect(pipeline).toEqual(before);
  });
});
