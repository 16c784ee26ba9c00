// The field check through preparePipeline, with the real steps: UNKNOWN_FIELD errors where the
// source knows its fields (a CSV header), Plan.watch where it does not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError, FlowErrors } from '../../../../engine/contract/errors.js';
import { preparePipeline } from '../../../../engine/planning/prepare.js';

const csv = 'date,precipitation,temp_max,weather\n2012-01-01,0,12.8,drizzle\n2012-01-02,10.9,10.6,rain\n';

function project(pipeline: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-fields-'));
  writeFileSync(path.join(dir, 'weather.csv'), csv);
  writeFileSync(path.join(dir, 'flights.ndjson'), '{"origin":"SEA","delay":3}\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, 'pipeline.yaml'), pipeline);
  return path.join(dir, 'pipeline.yaml');
}

async function errorsOf(file: string): Promise<Array<{ code: string; message: string; path?: string; line?: number; column?: number; hint?: string }>> {
  try {
    await preparePipeline(file, { env: {} });
  } catch (error) {
    const all = error instanceof FlowErrors ? error.errors : [error as FlowError];
    return all.map((e) => ({
      code: e.code,
      message: e.message,
      ...(e.path ? { path: e.path } : {}),
      ...(e.location ? { line: e.location.line, column: e.location.column } : {}),
      ...(e.hint ? { hint: e.hint } : {}),
    }));
  }
  return [];
}

const weather = 'source:\n  step: file\n  with: { path: weather.csv }\n';

describe('field names, when the source knows its fields', () => {
  it('names an unknown field of an expression, of group and of aggregates, each at its place', async () => {
    const file = project(
      `${weather}map:\n  - step: filter\n    with: { where: "r.temp_maxx > 30" }\nreduce:\n  step: group\n  with:\n    by: weathr\n    aggregate: { m: { mean: temp_mx } }\n`,
    );
    expect(await errorsOf(file)).toEqual([
      {
        code: 'UNKNOWN_FIELD',
        message: 'no field "temp_maxx" in the records of the source',
        path: 'map[0].with.where',
        line: 6,
        column: 23,
        hint: 'did you mean `temp_max`?',
      },
      {
        code: 'UNKNOWN_FIELD',
        message: 'no field "weathr" in the records of the source',
        path: 'reduce.with.by',
        line: 10,
        column: 9,
        hint: 'did you mean `weather`?',
      },
      {
        code: 'UNKNOWN_FIELD',
        message: 'no field "temp_mx" in the records of the source',
        path: 'reduce.with.aggregate.m.mean',
        line: 11,
        column: 29,
        hint: 'did you mean `temp_max`?',
      },
    ]);
  });

  it('accepts a field set adds, and lists the fields when no name is near', async () => {
    const ok = project(
      `${weather}map:\n  - step: set\n    with: { fields: { hot: "r.temp_max > 25" } }\n  - step: filter\n    with: { where: "r.hot" }\nreduce: { step: group, with: { by: hot } }\n`,
    );
    expect(await errorsOf(ok)).toEqual([]);
    const far = project(`${weather}reduce: { step: sum, with: { field: xyz } }\n`);
    expect(await errorsOf(far)).toEqual([
      {
        code: 'UNKNOWN_FIELD',
        message: 'no field "xyz" in the records of the source',
        path: 'reduce.with.field',
        line: 4,
        column: 37,
        hint: 'the records have date, precipitation, temp_max, weather',
      },
    ]);
  });

  it('narrows to the fields of select; checks select, top and the plain reducers too', async () => {
    const file = project(`${weather}map:\n  - step: select\n    with: { fields: [date, wether] }\nreduce: { step: top, with: { n: 1, by: temp_max } }\n`);
    expect(await errorsOf(file)).toEqual([
      {
        code: 'UNKNOWN_FIELD',
        message: 'no field "wether" in the records of the source',
        path: 'map[0].with.fields[1]',
        line: 6,
        column: 28,
        hint: 'did you mean `weather`?',
      },
      {
        code: 'UNKNOWN_FIELD',
        message: 'no field "temp_max" in the records after map[0] (select)',
        path: 'reduce.with.by',
        line: 7,
        column: 40,
        hint: 'the records have date, wether',
      },
    ]);
  });

  it('stops checking after transform, flat-map or a plugin map step', async () => {
    for (const step of ['step: transform\n    with: { expr: "({ x: r.date })" }', 'step: ./plugin.mjs']) {
      const plugin = "export default { kind: 'map', name: 'p', summary: 'p', options: { type: 'object' }, map: (r) => r };\n";
      const file = project(`${weather}map:\n  - ${step}\nreduce: { step: group, with: { by: anything } }\n`, { 'plugin.mjs': plugin });
      expect(await errorsOf(file)).toEqual([]);
    }
  });

  it("checks a plugin reducer's declared fields, located in its options", async () => {
    const plugin =
      "export default { kind: 'reduce', name: 'p', summary: 'p', options: { type: 'object' }, init: () => 0, add: (a) => a + 1," +
      ' merge: (a, b) => a + b, finish: (a) => a, fields: (o) => [o.column] };\n';
    const file = project(`${weather}reduce:\n  step: ./plugin.mjs\n  with: { column: precip }\n`, { 'plugin.mjs': plugin });
    expect(await errorsOf(file)).toEqual([
      {
        code: 'UNKNOWN_FIELD',
        message: 'no field "precip" in the records of the source',
        path: 'reduce.with.column',
        line: 6,
        column: 19,
        hint: 'the records have date, precipitation, temp_max, weather',
      },
    ]);
  });
});

describe('field names offline (flow validate --offline)', () => {
  it('says nothing of a name that comes from an unset variable, nor after a select of such names', async () => {
    const file = project(
      `${weather}map:\n  - step: select\n    with: { fields: [date, "\${{ env.COLUMN }}"] }\nreduce: { step: group, with: { by: "\${{ env.COLUMN }}" } }\n`,
    );
    await expect(preparePipeline(file, { env: {}, offline: true })).resolves.toBeDefined();
    const typo = project(`${weather}reduce: { step: group, with: { by: "\${{ env.COLUMN }}", aggregate: { m: { max: tmp } } } }\n`);
    await expect(preparePipeline(typo, { env: {}, offline: true })).rejects.toThrow('no field "tmp" in the records of the source');
  });
});

describe('field names, when only the data can tell', () => {
  it('watches the fields the steps read from the source (not those set adds), each at its first reader', async () => {
    const file = project(
      'source: { step: file, with: { path: flights.ndjson } }\nmap:\n  - step: set\n    with: { fields: { late: "r.delay > 15" } }\nreduce:\n  step: group\n  with: { by: late, aggregate: { d: { mean: delay }, o: { max: orign } } }\n',
    );
    const { plan } = await preparePipeline(file, { env: {} });
    expect(plan.watch).toEqual([
      { field: 'delay', step: 'map[0] (set)', path: 'map[0].with.fields.late', location: expect.objectContaining({ line: 4, column: 32 }) },
      { field: 'orign', step: 'reduce (group)', path: 'reduce.with.aggregate.o.max', location: expect.objectContaining({ line: 7, column: 64 }) },
    ]);
  });

  it('watches nothing when the fields are known, and says nothing when the data is not there', async () => {
    const known = await preparePipeline(project(`${weather}reduce: { step: group, with: { by: weather } }\n`), { env: {} });
    expect(known.plan.watch).toBeUndefined();
    const missing = project('source: { step: file, with: { path: gone.csv } }\nreduce: { step: group, with: { by: nope } }\n');
    expect((await errorsOf(missing)).map((e) => e.code)).toEqual(['NO_INPUT_MATCH']);
  });
});
