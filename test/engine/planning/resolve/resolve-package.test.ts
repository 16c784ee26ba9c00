// npm steps: found from the pipeline's folder only, several steps per package, flow version ranges.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FlowErrors } from '../../../../engine/contract/errors.js';
import { preparePipeline } from '../../../../engine/planning/prepare.js';
import { resolvePipeline } from '../../../../engine/planning/resolve/resolve.js';
import { resolvePackage, resolvePackageStep } from '../../../../engine/planning/resolve/resolve-package.js';
import { flowVersion } from '../../../../engine/planning/resolve/version-range.js';
import { root } from '../../../helpers/cli.js';

const plugins = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..', 'fixtures', 'plugins');
const from = path.join(plugins, 'pipeline.yaml');
const multi = path.join(plugins, 'node_modules/flow-steps-multi/index.js');

describe('resolvePackageStep', () => {
  it('takes a subpath export first, else the main module’s named export', () => {
    expect(resolvePackageStep('@acme/flow-steps/parse-ua', from)).toEqual({ file: path.join(plugins, 'node_modules/@acme/flow-steps/dist/parse-ua.js') });
    expect(resolvePackageStep('flow-steps-multi/double', from)).toEqual({ file: multi, exportName: 'double' });
    expect(resolvePackageStep('flow-steps-multi', from)).toEqual({ file: multi });
    expect(resolvePackageStep('flow-steps-multi/a/b', from)).toBeUndefined();
    expect(resolvePackageStep('no-such-package/x', from)).toBeUndefined();
  });

  it('never looks outside the pipeline’s project: not flow’s own dependencies, not above the package', () => {
    expect(resolvePackage('vitest', path.join(root, 'pipelines', 'p.yaml'))).toBeDefined();
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'flow-npm-'));
    expect(resolvePackage('vitest', path.join(elsewhere, 'p.yaml'))).toBeUndefined();
    expect(resolvePackage('flow-step-upper/../flow-steps-multi/index.js', from)).toBeUndefined();
  });
});

describe('npm steps in a pipeline', () => {
  it('resolves named exports to the module and the export, for workers to pick', async () => {
    const plan = await resolvePipeline(
      { source: { step: 'range', with: { end: 3 } }, map: [{ step: 'flow-steps-multi/double' }], reduce: { step: 'flow-steps-multi/total' } },
      { dir: plugins },
    );
    expect(plan.map[0]).toMatchObject({ name: 'flow-steps-multi/double', module: pathToFileURL(multi).href, exportName: 'double' });
    expect(plan.reduce).toMatchObject({ module: pathToFileURL(multi).href, exportName: 'total' });
  });

  it('reports a flow range that excludes this flow, a range that is not one, and a missing export, located', async () => {
    const file = path.join(plugins, 'pipeline-versions.yaml');
    const err = await preparePipeline(file, { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowErrors);
    expect((err as FlowErrors).errors.map((e) => e.toJSON())).toEqual([
      {
        code: 'PLUGIN_INVALID',
        message: `"flow-steps-multi/future" supports flow >=2 <3, but this is flow ${flowVersion()}`,
        path: 'map[1].step',
        location: { file, line: 4, column: 11, length: 23 },
        hint: `install a version of "flow-steps-multi/future" made for flow ${flowVersion()}, or a flow in >=2 <3`,
      },
      {
        code: 'PLUGIN_INVALID',
        message: '"flow-steps-multi/sloppy" declares flow: "soon", which is not a version range',
        path: 'map[2].step',
        location: { file, line: 5, column: 11, length: 23 },
        hint: 'write an npm-style range of flow versions, e.g. ">=0.1 <1" or "^0.1"',
      },
      {
        code: 'PLUGIN_NOT_FOUND',
        message: 'the package of "flow-steps-multi/absent" has no subpath export "./absent" and its main module no export named "absent"',
        path: 'map[3].step',
        location: { file, line: 6, column: 11, length: 23 },
        hint: "see the package's exports in its package.json",
      },
    ]);
  });
});
