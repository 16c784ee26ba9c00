import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../engine/contract/errors.js';
import { loadPipeline } from '../../../engine/planning/load.js';

describe('loadPipeline', () => {
  it('reads the file and returns its absolute path, without a byte-order mark', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-load-'));
    const file = path.join(dir, 'p.yaml');
    writeFileSync(file, '\uFEFFsource: x\n');
    expect(await loadPipeline(path.relative(process.cwd(), file))).toEqual({ file, text: 'source: x\n' });
  });

  it('names a missing file in a FILE_NOT_FOUND error', async () => {
    const err = await loadPipeline('pipelines/nope.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowError);
    expect((err as FlowError).toJSON()).toEqual({
      code: 'FILE_NOT_FOUND',
      message: 'cannot read the pipeline file pipelines/nope.yaml: no such file',
      hint: `looked for ${path.resolve('pipelines/nope.yaml')}`,
    });
  });

  it('says so when the path is a folder', async () => {
    const err = await loadPipeline(os.tmpdir()).catch((e: unknown) => e);
    expect((err as FlowError).code).toBe('FILE_NOT_FOUND');
    expect((err as FlowError).message).toMatch(/it is a folder$/);
  });
});
