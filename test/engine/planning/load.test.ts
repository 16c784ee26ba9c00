import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../engine/contract/errors.js';
import { loadPipeline, MAX_PIPELINE_BYTES } from '../../../engine/planning/load.js';

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

  it('reads a file of exactly the limit, and refuses one byte more where it passes the limit', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-load-'));
    const file = path.join(dir, 'big.yaml');
    const text = `# ${'é'.repeat(MAX_PIPELINE_BYTES / 2 - 2)}x\n`;
    expect(Buffer.byteLength(text)).toBe(MAX_PIPELINE_BYTES);
    writeFileSync(file, text);
    expect((await loadPipeline(file)).text).toBe(text);
    writeFileSync(file, `${text}#`);
    const err = (await loadPipeline(file).catch((e: unknown) => e)) as FlowError;
    expect(err.toJSON()).toEqual({
      code: 'YAML_TOO_LARGE',
      message: 'the pipeline file is larger than 1 MiB',
      location: { file, line: 2, column: 1 },
      hint: 'a pipeline describes the work; data goes in the files its source reads',
    });
  });
});
