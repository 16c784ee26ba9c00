// Projection end to end: the CLI over the 3M-row flights data (.cache/data), with and without it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preparePipeline } from '../../../engine/planning/prepare.js';
import { root, runFlow } from '../../helpers/cli.js';
import { tempDir, write } from './readers/helpers.js';

const dir = tempDir();

describe('projection, end to end', () => {
  // The example pipeline, and the same over the CSV copy of the data.
  const ndjson = path.join(root, 'pipelines/flights-by-origin.yaml');
  const csv = write(
    dir,
    'flights-by-origin-csv.yaml',
    readFileSync(ndjson, 'utf8').replace('../.cache/data/flights-3m.ndjson', path.join(root, '.cache/data/flights-3m.csv')),
  );

  it.each([
    ['NDJSON', ndjson],
    ['CSV', csv],
  ])(
    'group-by origin over 3M flights as %s: the same bytes with projection and without (FLOW_NO_PROJECTION=1)',
    async (_, pipeline) => {
      expect((await preparePipeline(pipeline)).plan.fields).toEqual(['origin', 'delay']);
      const [projected, whole] = await Promise.all([
        runFlow(['run', pipeline, '--quiet', '--workers', '1']),
        runFlow(['run', pipeline, '--quiet', '--workers', '1'], { env: { FLOW_NO_PROJECTION: '1' } }),
      ]);
      expect(projected.code).toBe(0);
      expect(whole.code).toBe(0);
      expect(JSON.parse(projected.stdout)).toHaveLength(229);
      expect(projected.stdout).toBe(whole.stdout);
    },
    60_000,
  );
});
