// The test data made by flow itself (scripts/prepare-data.mjs runs scripts/flights-convert.yaml on
// the flights Parquet): DuckDB, the oracle, finds in the NDJSON and the CSV exactly the rows it reads
// in the Parquet file, with the dates as the text DuckDB writes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { query, sqlString, vegaData } from '../helpers/duckdb.js';

const parquet = path.join(vegaData, 'flights-3m.parquet');
const ndjson = path.join(root, '.cache/data/flights-3m.ndjson');
const csv = path.join(root, '.cache/data/flights-3m.csv');

/** Count, sums, extremes and an order-free hash of every row, the date as text. */
function summary(from: string, date: string): Promise<Record<string, unknown>[]> {
  return query(`SELECT count(*) AS n, sum(delay) AS delay, sum(distance) AS distance, count(DISTINCT origin) AS origins,
    min(${date}) AS first, max(${date}) AS last, sum(hash(${date}, delay, distance, origin, destination)) AS rows FROM ${from}`);
}

describe('prepare-data: the flights Parquet converted by flow', () => {
  it('the NDJSON and the CSV hold the rows DuckDB reads in the Parquet file', async () => {
    const [expected] = await summary(`read_parquet(${sqlString(parquet)})`, "strftime(date, '%Y-%m-%d %H:%M:%S')");
    expect(expected!.n).toBe(3_000_000);
    const [fromNdjson] = await summary(
      `read_json(${sqlString(ndjson)}, columns = {date: 'VARCHAR', delay: 'BIGINT', distance: 'BIGINT', origin: 'VARCHAR', destination: 'VARCHAR'})`,
      'date',
    );
    const [fromCsv] = await summary(`read_csv(${sqlString(csv)}, types = {'date': 'VARCHAR'})`, 'date');
    expect(fromNdjson).toEqual(expected);
    expect(fromCsv).toEqual(expected);
  }, 120_000);

  it('writes the lines as DuckDB wrote them: source order, field order, dates as text', async () => {
    const first = await query(
      `SELECT strftime(date, '%Y-%m-%d %H:%M:%S') AS date, delay, distance, origin, destination FROM read_parquet(${sqlString(parquet)}) LIMIT 3`,
    );
    const head = readFileSync(ndjson, 'utf8').slice(0, 400).split('\n').slice(0, 3);
    expect(head).toEqual(first.map((r) => JSON.stringify(r)));
    expect(head[0]).toBe('{"date":"2001-01-01 00:01:00","delay":33,"distance":2176,"origin":"LAS","destination":"PHL"}');
    const csvHead = readFileSync(csv, 'utf8').slice(0, 200).split('\n').slice(0, 2);
    expect(csvHead).toEqual(['date,delay,distance,origin,destination', '2001-01-01 00:01:00,33,2176,LAS,PHL']);
  }, 60_000);
});
