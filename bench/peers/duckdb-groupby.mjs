// Peer: DuckDB running the same group-by on the same file, as a whole process like `flow run`.
// Usage: node duckdb-groupby.mjs FILE [threads=2] [FIELD,FIELD...]   (FILE .ndjson, .csv or .parquet)
// With fields, the same pass also counts the distinct (origin, FIELD...) keys, the work of flow's
// `unique: [origin, FIELD...]` check: the repeated records go to stderr, the groups to stdout as without.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads = '2', distinct] = process.argv.slice(2);
const reader = file.endsWith('.parquet') ? 'read_parquet' : file.endsWith('.csv') ? 'read_csv' : 'read_json';
const keys = distinct ? `, count(DISTINCT (${distinct})) AS keys` : '';
const db = await DuckDBInstance.create(':memory:', { threads });
const connection = await db.connect();
const sql = `SELECT origin, count(*) AS flights, avg(delay) AS mean_delay${keys}
  FROM ${reader}('${file.replaceAll("'", "''")}') GROUP BY origin ORDER BY origin`;
const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson();
if (distinct) process.stderr.write(`repeated keys: ${rows.reduce((n, r) => n + Number(r.flights) - Number(r.keys), 0)}\n`);
process.stdout.write(JSON.stringify(rows.map((r) => ({ origin: r.origin, flights: Number(r.flights), mean_delay: r.mean_delay }))) + '\n');
connection.closeSync();
