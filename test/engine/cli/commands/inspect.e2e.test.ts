// flow inspect through the built CLI on real data: the columns, types and null counts of
// seattle-weather.csv (vega-datasets), the 3M-row flights NDJSON and Parquet checked against DuckDB
// reading the same files; the same profile for 1 and 2 workers, gzip and standard input; --sample, --rows,
// the text table, and errors (a missing file, a binary file) like every other command's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runFlow } from '../../../helpers/cli.js';
import { query, sqlString, vegaData } from '../../../helpers/duckdb.js';

const seattle = path.join(vegaData, 'seattle-weather.csv');
const flights = path.join(root, '.cache/data/flights-3m.ndjson');
const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Inspected {
  inputs: Array<{ path: string; bytes: number; format?: string }>;
  records: number;
  sampled: boolean;
  columns: Array<{ name: string; type: string; nulls: number; missing: number; values: Record<string, number> }>;
  samples: unknown[];
}

async function inspect(args: string[], input?: string): Promise<Inspected> {
  const run = await runFlow(['inspect', ...args, '--json'], { cwd: dir, ...(input !== undefined ? { input } : {}) });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Inspected;
}

/** What DuckDB says of each column (one scan): its type as flow names it, and its nulls. */
async function duckProfile(from: string): Promise<{ records: number; columns: Array<{ name: string; type: string; nulls: number }> }> {
  const described = (await query(`DESCRIBE SELECT * FROM ${from}`)) as Array<{ column_name: string; column_type: string }>;
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const terms = described.flatMap(({ column_name: name, column_type: type }, i) => [
    `count(*) - count(${quote(name)}) AS n${i}`,
    ...(type === 'DOUBLE' ? [`count(*) FILTER (WHERE ${quote(name)} <> trunc(${quote(name)})) AS f${i}`] : []),
  ]);
  const [row] = await query(`SELECT count(*) AS records, ${terms.join(', ')} FROM ${from}`);
  const columns = described.map(({ column_name: name, column_type: type }, i) => {
    // flow has no date type (DuckDB's sniffer finds dates in text); a double column of whole numbers is integers to flow.
    const flowType = /INT/.test(type)
      ? 'integer'
      : type === 'DOUBLE'
        ? Number(row![`f${i}`]) > 0
          ? 'number'
          : 'integer'
        : type === 'BOOLEAN'
          ? 'boolean'
          : 'string';
    return { name, type: flowType, nulls: Number(row![`n${i}`]) };
  });
  return { records: Number(row!.records), columns };
}

describe('flow inspect', () => {
  it('seattle-weather.csv: columns, types and null counts as DuckDB reads them, and the first rows', async () => {
    const got = await inspect([seattle]);
    const want = await duckProfile(`read_csv(${sqlString(seattle)})`);
    expect(got.records).toBe(want.records);
    expect(got.records).toBe(1461);
    expect(got.columns.map(({ name, type, nulls }) => ({ name, type, nulls }))).toEqual(want.columns);
    expect(got.sampled).toBe(false);
    expect(got.inputs).toEqual([{ path: seattle, bytes: readFileSync(seattle).length, format: 'csv' }]);
    const first = await query(`SELECT CAST(date AS VARCHAR) AS date, * EXCLUDE (date) FROM read_csv(${sqlString(seattle)}) LIMIT 5`);
    expect(got.samples).toEqual(first);
    // --rows, and the same profile on 1 worker.
    const one = await inspect([seattle, '--rows', '2', '--workers', '1']);
    expect(one.samples).toEqual(first.slice(0, 2));
    expect(one.columns).toEqual(got.columns);
  });

  it('the 3M-row flights NDJSON: counts, types and nulls as DuckDB reads them; the same for 1 and 2 workers', async () => {
    const two = await inspect([flights, '--workers', '2']);
    const want = await duckProfile(`read_json(${sqlString(flights)})`);
    expect(two.records).toBe(3_000_000);
    expect(two.records).toBe(want.records);
    expect(two.columns.map(({ name, type, nulls }) => ({ name, type, nulls }))).toEqual(want.columns);
    const first = readFileSync(flights, 'utf8')
      .slice(0, 4096)
      .split('\n')
      .slice(0, 5)
      .map((l) => JSON.parse(l) as unknown);
    expect(two.samples).toEqual(first);
    const one = await inspect([flights, '--workers', '1']);
    expect(one).toEqual(two);
    // --sample: the first records only, the same columns.
    const sampled = await inspect([flights, '--sample', '1000']);
    expect(sampled).toMatchObject({ records: 1000, sampled: true, samples: first });
    expect(sampled.columns.map((c) => c.name)).toEqual(two.columns.map((c) => c.name));
  }, 120_000);

  it('the flights Parquet file: the columns, types and nulls DuckDB reads, the records of the NDJSON', async () => {
    const parquet = path.join(vegaData, 'flights-3m.parquet');
    const got = await inspect([parquet, '--rows', '3']);
    const want = await duckProfile(`read_parquet(${sqlString(parquet)})`);
    expect(got.records).toBe(want.records);
    expect(got.columns.map(({ name, type, nulls }) => ({ name, type, nulls }))).toEqual(want.columns);
    const first = readFileSync(flights, 'utf8')
      .slice(0, 4096)
      .split('\n')
      .slice(0, 3)
      .map((l) => JSON.parse(l) as unknown);
    expect(got.samples).toEqual(first);
  }, 60_000);

  it('gzip and standard input give the profile of the plain file; a missing field counts as null', async () => {
    const text = ['{"a":1,"b":"x"}', '{"a":2.5,"c":true}', '{"a":null,"b":"y","c":false}', '{"b":3}'].join('\n') + '\n';
    writeFileSync(path.join(dir, 'small.ndjson'), text);
    writeFileSync(path.join(dir, 'small.ndjson.gz'), gzipSync(text));
    const plain = await inspect(['small.ndjson']);
    expect(plain.columns).toEqual([
      { name: 'a', type: 'number', nulls: 2, missing: 1, values: { integer: 1, number: 1, null: 1 } },
      { name: 'b', type: 'mixed', nulls: 1, missing: 1, values: { integer: 1, string: 2 } },
      { name: 'c', type: 'boolean', nulls: 2, missing: 2, values: { boolean: 2 } },
    ]);
    const duck = await duckProfile(`read_json(${sqlString(path.join(dir, 'small.ndjson'))}, columns = {a: 'DOUBLE', b: 'VARCHAR', c: 'BOOLEAN'})`);
    expect(plain.columns.map((c) => c.nulls)).toEqual(duck.columns.map((c) => c.nulls));
    const { inputs: _gzInputs, ...gz } = await inspect(['small.ndjson.gz']);
    const { inputs: _plainInputs, ...rest } = plain;
    expect(gz).toEqual(rest);
    const { inputs: stdinInputs, ...piped } = await inspect(['-', '--format', 'ndjson'], text);
    expect(piped).toEqual(rest);
    expect(stdinInputs[0]!.format).toBe('ndjson');
  });

  it('prints a table for people', async () => {
    writeFileSync(path.join(dir, 'people.csv'), 'name,age,city\nAda,36,London\nAlan,,Wilmslow\nGrace,85,\n');
    const run = await runFlow(['inspect', 'people.csv', '--rows', '2'], { cwd: dir });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'people.csv (csv, 53 B): 3 records, 3 columns',
        '',
        '  column  type',
        '  name    string',
        '  age     integer (1 null)',
        '  city    string (1 null)',
        '',
        'first 2 records:',
        '  {"name":"Ada","age":36,"city":"London"}',
        '  {"name":"Alan","age":null,"city":"Wilmslow"}',
        '',
      ].join('\n'),
    );
  });

  it('a missing file or a binary one is an error naming it, exit 2, no stack', async () => {
    const missing = await runFlow(['inspect', 'nope.csv'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file: nope.csv');
    expect(missing.stderr).not.toMatch(/\n\s+at .*\(/);
    writeFileSync(
      path.join(dir, 'picture.csv'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]),
    );
    const binary = await runFlow(['inspect', 'picture.csv'], { cwd: dir });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain('picture.csv');
    expect(binary.stderr).not.toMatch(/\n\s+at .*\(/);
    const args = await runFlow(['inspect', 'a.csv', 'b.csv'], { cwd: dir });
    expect(args.code).toBe(2);
    expect(args.stderr).toContain('flow inspect takes one file, got 2');
    const rows = await runFlow(['inspect', 'a.csv', '--rows', 'x'], { cwd: dir });
    expect(rows.code).toBe(2);
    expect(rows.stderr).toContain('--rows x: expected a whole number');
  });

  it('flow --help lists inspect; flow inspect --help shows its options', async () => {
    const help = await runFlow(['--help']);
    expect(help.stdout).toContain('flow inspect FILE [--json] [--rows N] [--sample N]');
    const own = await runFlow(['inspect', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/^Usage: flow inspect FILE/);
    for (const option of ['--json', '--rows N', '--sample N', '--format F', '--workers N']) expect(own.stdout).toContain(option);
  });
});
