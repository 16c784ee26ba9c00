import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinModule } from '../../../../steps/registry.js';
import { FlowError, FlowErrors } from '../../../../engine/contract/errors.js';
import { preparePipeline } from '../../../../engine/planning/prepare.js';
import { resolvePipeline } from '../../../../engine/planning/resolve/resolve.js';
import { parseSize } from '../../../../engine/planning/schema/schema.js';
import { resolvePackage } from '../../../../engine/planning/resolve/resolve-package.js';
import { parquetWriteBuffer } from 'hyparquet-writer';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..', 'fixtures');
const plugins = path.join(fixtures, 'plugins');

describe('parseSize', () => {
  it.each([
    [4096, 4096],
    ['100', 100],
    ['8MiB', 8 * 1024 * 1024],
    ['512KiB', 512 * 1024],
    ['1GB', 1e9],
    ['1.5 MB', 1.5e6],
    ['2k', 2000],
  ])('%s -> %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it('refuses what is not a size', () => {
    expect(() => parseSize('lots')).toThrow(/not a size/);
    expect(() => parseSize('8XB')).toThrow(/not a size/);
  });
});

describe('resolvePipeline', () => {
  it('resolves built-ins to their modules, applies option defaults and the default output', async () => {
    const plan = await resolvePipeline({ source: { step: 'range', with: { end: 5 } }, reduce: { step: 'sum' } }, { dir: fixtures, workers: 2 });
    expect(plan.source).toMatchObject({ kind: 'source', name: 'range', module: builtinModule('source', 'range'), path: 'source' });
    expect(plan.source.options).toEqual({ start: 0, end: 5, step: 1 });
    expect(plan.output).toMatchObject({ kind: 'output', name: 'stdout', module: builtinModule('output', 'stdout'), path: 'output' });
    expect(plan.workers).toBe(2);
    expect(plan.chunking).toEqual({});
    expect(plan.pipelineDir).toBe(fixtures);
  });

  it('does not change the options it was given (defaults go on a copy)', async () => {
    const withOptions = { end: 5 };
    await resolvePipeline({ source: { step: 'range', with: withOptions } }, { dir: fixtures });
    expect(withOptions).toEqual({ end: 5 });
  });

  it('takes workers from the pipeline, "auto" from the machine, and --workers over both', async () => {
    const spec = { source: { step: 'range', with: { end: 5 } } };
    expect((await resolvePipeline({ ...spec, workers: 'auto' }, { dir: fixtures })).workers).toBe(os.availableParallelism());
    expect((await resolvePipeline({ ...spec, workers: 5 }, { dir: fixtures })).workers).toBe(5);
    expect((await resolvePipeline({ ...spec, workers: 5 }, { dir: fixtures, workers: 1 })).workers).toBe(1);
  });

  it('reports a step module that is missing as PLUGIN_NOT_FOUND and a typo of a built-in as UNKNOWN_STEP', async () => {
    const err = await resolvePipeline(
      { source: { step: 'range', with: { end: 5 } }, map: [{ step: './nope.mjs' }, { step: 'fliter' }] },
      { dir: fixtures },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowErrors);
    expect((err as FlowErrors).errors.map((e) => [e.code, e.path])).toEqual([
      ['PLUGIN_NOT_FOUND', 'map[0].step'],
      ['UNKNOWN_STEP', 'map[1].step'],
    ]);
  });

  it('validates a plugin’s options with the same located errors as a built-in', async () => {
    const err = await resolvePipeline(
      { source: { step: 'range', with: { end: 5 } }, map: [{ step: './steps/double.mjs', with: { feild: 'x' } }] },
      { dir: plugins },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowError);
    expect((err as FlowError).toJSON()).toEqual({
      code: 'UNKNOWN_KEY',
      message: 'unknown key `feild`',
      path: 'map[0].with.feild',
      hint: 'did you mean `field`?',
    });
  });
});

describe('plugins', () => {
  it('resolves a local .mjs, a local .ts, a CommonJS package and an ESM-only scoped subpath export', async () => {
    const file = path.join(plugins, 'pipeline-local.yaml');
    const { plan } = await preparePipeline(file, { env: {} });
    const url = (p: string) => pathToFileURL(path.join(plugins, p)).href;
    expect(plan.map.map((s) => [s.name, s.module, s.options])).toEqual([
      ['./steps/double.mjs', url('steps/double.mjs'), { field: 'value' }],
      ['./steps/hour.ts', url('steps/hour.ts'), { field: 'time' }],
      ['flow-step-upper', url('node_modules/flow-step-upper/index.js'), {}],
    ]);
    expect(plan.reduce).toMatchObject({
      name: '@acme/flow-steps/parse-ua',
      module: url('node_modules/@acme/flow-steps/dist/parse-ua.js'),
      options: { max: 10 },
    });
    expect(plan.workers).toBe(3);
    expect(plan.chunking).toEqual({ bytes: 512 * 1024 });
    // flow-step-upper has no fields(): the fields read are unknown.
    expect(plan.fields).toBeUndefined();
    expect(plan.map[1]!.location).toEqual({ file, line: 7, column: 11, length: 15 });
  });

  it('unions the fields the map and reduce steps read when all of them tell', async () => {
    const plan = await resolvePipeline(
      {
        source: { step: 'range', with: { end: 5 } },
        map: [
          { step: './steps/double.mjs', with: { field: 'a' } },
          { step: './steps/hour.ts', with: { field: 'b' } },
        ],
        reduce: { step: '@acme/flow-steps/parse-ua' },
      },
      { dir: plugins },
    );
    expect(plan.fields).toEqual(['a', 'b']);
  });

  it('leaves fields unknown without a reducer (the output writes whole records)', async () => {
    const plan = await resolvePipeline({ source: { step: 'range', with: { end: 5 } }, map: [{ step: './steps/double.mjs' }] }, { dir: plugins });
    expect(plan.fields).toBeUndefined();
  });

  it('points a plugin check() issue inside the option string', async () => {
    const dir = plugins;
    const err = await resolvePipeline(
      { source: { step: 'range', with: { end: 5 } }, map: [{ step: './steps/hour.ts', with: { field: 'ti!me' } }] },
      { dir },
    ).catch((e: unknown) => e);
    expect((err as FlowError).toJSON()).toEqual({ code: 'INVALID_VALUE', message: 'a field name cannot hold "!"', path: 'map[0].with.field' });
  });

  it('reports a check() that throws and an options schema that is not JSON Schema as PLUGIN_INVALID', async () => {
    const err = await resolvePipeline(
      { source: { step: 'range', with: { end: 5 } }, map: [{ step: './steps/bad-check.mjs' }, { step: './steps/bad-schema.mjs' }] },
      { dir: plugins },
    ).catch((e: unknown) => e);
    expect((err as FlowErrors).errors.map((e) => [e.code, e.path, e.message.replace(/:.*/s, '')])).toEqual([
      ['PLUGIN_INVALID', 'map[0].step', '"./steps/bad-check.mjs" check() threw'],
      ['PLUGIN_INVALID', 'map[1].step', '"./steps/bad-schema.mjs" has an options schema that is not valid JSON Schema'],
    ]);
  });

  it('finds packages the way import does, from the pipeline folder only', () => {
    const from = path.join(plugins, 'pipeline.yaml');
    expect(resolvePackage('flow-step-upper', from)).toBe(path.join(plugins, 'node_modules/flow-step-upper/index.js'));
    expect(resolvePackage('@acme/flow-steps/parse-ua', from)).toBe(path.join(plugins, 'node_modules/@acme/flow-steps/dist/parse-ua.js'));
    expect(resolvePackage('@acme/flow-steps/missing', from)).toBeUndefined();
    expect(resolvePackage('flow-step-upper', path.join(fixtures, 'pipeline.yaml'))).toBeUndefined();
  });
});

describe('the execution a plan records', () => {
  const squares = { source: { step: 'range', with: { end: 5 } }, map: [{ step: 'transform', with: { expr: 'r * r' } }], reduce: { step: 'sum' } };

  it('numbers in bulk when every step has a bulk form, with the reason; FLOW_NO_NUMBERS=1 turns it off', async () => {
    const on = await resolvePipeline(squares, { dir: fixtures, env: {} });
    expect(on.execution).toMatchObject({ form: 'numbers', surelyNumbers: true, emit: false });
    expect(on.execution.reasons).toContain('numbers: every step takes a chunk as one Float64Array, and keeps it numbers');
    const off = await resolvePipeline(squares, { dir: fixtures, env: { FLOW_NO_NUMBERS: '1' } });
    expect(off.execution).toMatchObject({ form: 'records' });
    expect(off.execution.reasons).toContain('records: FLOW_NO_NUMBERS=1');
  });

  it('records when a step has no bulk form, naming it', async () => {
    const plan = await resolvePipeline({ ...squares, map: [{ step: 'flat-map', with: { expr: '[r]' } }] }, { dir: fixtures, env: {} });
    expect(plan.execution).toMatchObject({ form: 'records' });
    expect(plan.execution.reasons).toContain('records: map[0] (flat-map) cannot take numbers in bulk');
  });

  it('a file source hands records to a callback, and projection keeps the fields read; each has its switch', async () => {
    const pipeline = { source: { step: 'file', with: { path: 'data.ndjson' } }, reduce: { step: 'group', with: { by: 'origin', aggregate: { n: 'count' } } } };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-exec-'));
    writeFileSync(path.join(dir, 'data.ndjson'), '{"origin":"SFO"}\n');
    const on = await resolvePipeline(pipeline, { dir, env: {} });
    expect(on.fields).toEqual(['origin']);
    expect(on.execution).toMatchObject({ form: 'columns', emit: true });
    expect(on.execution.reasons).toEqual([
      'projection: the steps read origin',
      "columns: the reducer adds a chunk from the source's columns, with no record objects (a chunk the source cannot give as columns goes record by record)",
      'emit: the source hands records to a callback',
    ]);
    const off = await resolvePipeline(pipeline, { dir, env: { FLOW_NO_PROJECTION: '1', FLOW_NO_EMIT: '1' } });
    expect(off.fields).toBeUndefined();
    expect(off.execution).toMatchObject({ emit: false });
    expect(off.execution.reasons).toContain('whole records: FLOW_NO_PROJECTION=1');
    expect(off.execution.reasons).toContain('iterator: FLOW_NO_EMIT=1');
  });

  it('columns when the source and the reducer offer them and no map step comes between; FLOW_NO_COLUMNS=1 turns it off', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-exec-'));
    writeFileSync(path.join(dir, 'data.parquet'), Buffer.from(parquetWriteBuffer({ columnData: [{ name: 'origin', data: ['SFO'], type: 'STRING' }] })));
    const pipeline = { source: { step: 'file', with: { path: 'data.parquet' } }, reduce: { step: 'group', with: { by: 'origin' } } };
    const on = await resolvePipeline(pipeline, { dir, env: {} });
    expect(on.execution).toMatchObject({ form: 'columns', emit: true });
    expect(on.execution.reasons).toContain(
      "columns: the reducer adds a chunk from the source's columns, with no record objects (a chunk the source cannot give as columns goes record by record)",
    );
    const off = await resolvePipeline(pipeline, { dir, env: { FLOW_NO_COLUMNS: '1' } });
    expect(off.execution).toMatchObject({ form: 'records' });
    expect(off.execution.reasons).toContain('records: FLOW_NO_COLUMNS=1');
    const mapped = await resolvePipeline({ ...pipeline, map: [{ step: 'filter', with: { where: 'r.origin != "x"' } }] }, { dir, env: {} });
    expect(mapped.execution).toMatchObject({ form: 'records' });
    expect(mapped.execution.reasons).toContain('records: the source file, the reducer group cannot take numbers in bulk');
    // NDJSON fields are watched: a chunk read as columns has seen those it has a column of.
    writeFileSync(path.join(dir, 'data.ndjson'), '{"origin":"SFO"}\n');
    const watched = await resolvePipeline({ ...pipeline, source: { step: 'file', with: { path: 'data.ndjson' } } }, { dir, env: {} });
    expect(watched.watch?.map((w) => w.field)).toEqual(['origin']);
    expect(watched.execution).toMatchObject({ form: 'columns' });
  });
});

describe('on-error and retries in the plan', () => {
  it('default to failing on the first bad record and three attempts; the dead-letter file resolves against the pipeline', async () => {
    const plain = await resolvePipeline({ source: { step: 'range', with: { end: 1 } } }, { dir: fixtures });
    expect({ onError: plain.onError, retries: plain.retries }).toEqual({ onError: { action: 'fail' }, retries: { attempts: 3 } });
    const spec = {
      source: { step: 'range', with: { end: 1 } },
      onError: { action: 'dead-letter' as const, deadLetter: 'out/x.ndjson', max: { count: 2 } },
      retries: { attempts: 1, chunkTimeoutMs: 50 },
    };
    const plan = await resolvePipeline(spec, { dir: fixtures });
    expect(plan.onError).toEqual({ action: 'dead-letter', deadLetter: path.join(fixtures, 'out/x.ndjson'), max: { count: 2 } });
    expect(plan.retries).toEqual({ attempts: 1, chunkTimeoutMs: 50 });
  });
});
