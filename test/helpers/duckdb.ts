// DuckDB as the trusted oracle for aggregates on the same files.
import { createRequire } from 'node:module';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const require = createRequire(import.meta.url);
/** vega-datasets exports no package.json: resolve its entry and go up one folder. */
export const vegaData = path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');

let connection: Promise<DuckDBConnection> | undefined;

async function connect(): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  return db.connect();
}

/** Rows as plain objects; BIGINT and HUGEINT come back as numbers when exact, else as bigint. */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  connection ??= connect();
  const reader = await (await connection).runAndReadAll(sql);
  return reader
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v])));
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
