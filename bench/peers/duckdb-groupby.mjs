// Peer: DuckDB running the same group-by on the same file, as a whole process like `flow run`.
// Usage: node duckdb-groupby.mjs FILE [threads=2]   (FILE .ndjson, .csv or .parquet)
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads = '2'] = process.argv.slice(2);
const reader = file.endsWith('.parquet') ? 'read_parquet' : file.endsWith('.csv') ? 'read_csv' : 'read_json';
const db = await DuckDBInstance.create(':memory:', { threads });
const connection = await db.connect();
const sql = `SELECT origin, count(*) AS flights, avg(delay) AS mean_delay
  FROM ${reader}('${file.replaceAll("'", "''")}') GROUP BY origin ORDER BY origin`;
const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();
process.stdout.write(JSON.stringify(rows.map((r) => ({ origin: r.origin, flights: Number(r.flights), mean_delay: r.mean_delay }))) + '\n');
connection.closeSync();
