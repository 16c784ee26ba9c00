import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../helpers/temp.js';
import type { WorkerPlan } from '../../../../engine/execution/messages.js';
import { differences, fingerprint, flowVersion, sha256 } from '../../../../engine/execution/queue/fingerprint.js';

const temp = tempDirs('flow-fp-');

function project(step: string, lock?: string) {
  const root = temp();
  mkdirSync(path.join(root, 'steps'));
  writeFileSync(path.join(root, 'steps/hour.mjs'), step);
  if (lock !== undefined) writeFileSync(path.join(root, 'package-lock.json'), lock);
  const plan = {
    context: { pipelineDir: root },
    source: { kind: 'source', name: 'range', module: 'file:///opt/flow/dist/steps/source-range.js', options: {}, path: 'source' },
    map: [{ kind: 'map', name: './steps/hour.mjs', module: pathToFileURL(path.join(root, 'steps/hour.mjs')).href, options: {}, path: 'map[0]' }],
    form: 'records',
    emit: false,
  } as unknown as WorkerPlan;
  return { root, plan, places: { root, dist: '/opt/flow/dist' } };
}

describe('fingerprint', () => {
  it("holds flow's version, Node's major, the plan's hash, each local step file's and the lockfile's", () => {
    const { plan, places } = project('export default 1;\n', '{"lockfileVersion": 3}');
    expect(fingerprint(plan, 'PLAN', places)).toEqual({
      flowVersion: flowVersion(),
      nodeMajor: Number(process.versions.node.split('.')[0]),
      pipeline: sha256('PLAN'),
      steps: { 'steps/hour.mjs': sha256('export default 1;\n') },
      lockfile: sha256('{"lockfileVersion": 3}'),
    });
  });

  it('names every field that differs, with both values', () => {
    const a = project('export default 1;\n', 'A');
    const b = project('export default 2;\n');
    const here = { ...fingerprint(b.plan, 'PLAN', b.places), flowVersion: '0.1.0' };
    const there = { ...fingerprint(a.plan, 'PLAN', a.places), flowVersion: '0.2.0' };
    expect(differences(here, there)).toEqual([
      'flow version 0.1.0 here, 0.2.0 on the coordinator',
      `step file steps/hour.mjs ${sha256('export default 2;\n').slice(0, 12)} here, ${sha256('export default 1;\n').slice(0, 12)} on the coordinator`,
      `package-lock.json none here, ${sha256('A').slice(0, 12)} on the coordinator`,
    ]);
    expect(differences(there, there)).toEqual([]);
  });

  it('covers the project files a local step imports: a helper that differs is named', () => {
    const helper = (root: string, text: string) => {
      mkdirSync(path.join(root, 'steps/lib'));
      writeFileSync(path.join(root, 'steps/lib/time.mjs'), text);
    };
    const step = "import { hour } from './lib/time.mjs';\nexport default hour;\n";
    const a = project(step);
    const b = project(step);
    helper(a.root, 'export const hour = 1;\n');
    helper(b.root, 'export const hour = 2;\n');
    const here = fingerprint(b.plan, 'PLAN', b.places);
    const there = fingerprint(a.plan, 'PLAN', a.places);
    expect(Object.keys(there.steps)).toEqual(['steps/hour.mjs', 'steps/lib/time.mjs']);
    expect(differences(here, there)).toEqual([
      `step file steps/lib/time.mjs ${sha256('export const hour = 2;\n').slice(0, 12)} here, ${sha256('export const hour = 1;\n').slice(0, 12)} on the coordinator`,
    ]);
  });
});
