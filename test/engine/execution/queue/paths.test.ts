import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../../helpers/temp.js';
import { mapPaths, workerPlaces } from '../../../../engine/execution/queue/paths.js';
import { distRoot } from '../../../../engine/contract/package.js';

const temp = tempDirs('flow-root-');

const from = { root: '/home/ana/proj', dist: '/home/ana/proj/node_modules/flow-pipelines/dist' };
const to = { root: '/srv/work/proj', dist: '/opt/flow/dist' };

describe('mapPaths', () => {
  it("maps the project's paths and file: URLs to the worker's folder, flow's dist to its own, and leaves the rest", () => {
    const plan = {
      context: { pipelineDir: '/home/ana/proj/pipelines' },
      source: { module: pathToFileURL('/home/ana/proj/node_modules/flow-pipelines/dist/steps/source-file.js').href },
      map: [{ module: pathToFileURL('/home/ana/proj/steps/hour.ts').href }],
      chunk: { file: '/home/ana/proj/data/x.ndjson', other: '/mnt/shared/y.ndjson', near: '/home/ana/project2/z' },
      root: '/home/ana/proj',
      values: new Float64Array([1, 2]),
    };
    expect(mapPaths(plan, from, to)).toEqual({
      context: { pipelineDir: '/srv/work/proj/pipelines' },
      source: { module: pathToFileURL('/opt/flow/dist/steps/source-file.js').href },
      map: [{ module: pathToFileURL('/srv/work/proj/steps/hour.ts').href }],
      chunk: { file: '/srv/work/proj/data/x.ndjson', other: '/mnt/shared/y.ndjson', near: '/home/ana/project2/z' },
      root: '/srv/work/proj',
      values: new Float64Array([1, 2]),
    });
  });

  it('returns the value itself when both machines have the same places', () => {
    const value = { a: '/home/ana/proj/x' };
    expect(mapPaths(value, from, { ...from })).toBe(value);
  });
});

describe('workerPlaces', () => {
  it('finds the project root from its folder or any folder inside it (pipelines/), as the coordinator does', () => {
    const dir = temp();
    mkdirSync(path.join(dir, 'proj/pipelines/deep'), { recursive: true });
    writeFileSync(path.join(dir, 'proj/package.json'), '{}');
    for (const cwd of ['proj', 'proj/pipelines', 'proj/pipelines/deep']) {
      expect(workerPlaces(path.join(dir, cwd))).toEqual({ root: path.join(dir, 'proj'), dist: distRoot });
    }
  });
});
