// `csv` (RFC 4180 quoting, `\n` line ends like DuckDB and pandas). The header is the first record's
// keys. A later record with a key outside the header is an error, not a dropped field or a column
// that earlier rows never had; a missing key is an empty cell. A record that is not a plain object
// (a number, a string, an array) is a row of one column named `value`; mixing the two is an error.
import { FlowError } from '../../../engine/contract/errors.js';
import type { Encoder } from './encoder.js';
import { toJson } from './json.js';

export interface CsvOptions {
  /** One character; default `,`. */
  delimiter?: string;
}

const isRow = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One cell: null, undefined and non-finite numbers are empty; an empty string is `""`; nested values are JSON text, quoted. */
export function csvCell(value: unknown, delimiter = ','): string {
  switch (typeof value) {
    case 'string':
      return value === '' ? '""' : quoteIfNeeded(value, delimiter);
    case 'number':
      return Number.isFinite(value) ? String(value) : '';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? '' : quote(toJson(value));
    default:
      return '';
  }
}

const specials = new Map<string, RegExp>();

function quoteIfNeeded(text: string, delimiter: string): string {
  let re = specials.get(delimiter);
  if (!re) specials.set(delimiter, (re = new RegExp(`["\\r\\n${delimiter.replace(/[\\^\]-]/g, '\\$&')}]`)));
  return re.test(text) ? quote(text) : text;
}

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;

export function csvEncoder(options: CsvOptions = {}): Encoder {
  const delimiter = options.delimiter ?? ',';
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new Error(`csv delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  let header: string[] | undefined; // undefined until the first record; [] never happens for rows
  let scalar = false;
  let known = new Set<string>();
  let count = 0;

  function start(first: unknown): string {
    scalar = !isRow(first);
    header = scalar ? ['value'] : Object.keys(first as object).filter((k) => (first as Record<string, unknown>)[k] !== undefined);
    known = new Set(header);
    return `${header.map((h) => quoteIfNeeded(h, delimiter) || '""').join(delimiter)}\n`;
  }

  function row(record: unknown, cols: string[]): string {
    const index = count++;
    if (scalar) {
      if (isRow(record)) throw mismatch(index, 'an object, but the first record was not (its column is `value`)');
      return csvCell(record, delimiter);
    }
    if (!isRow(record)) throw mismatch(index, `${toJson(record)}, not an object like the first record`);
    let line = '';
    for (let i = 0; i < cols.length; i++) line += (i === 0 ? '' : delimiter) + csvCell(record[cols[i]!], delimiter);
    for (const key of Object.keys(record)) {
      if (!known.has(key) && record[key] !== undefined) {
        throw mismatch(
          index,
          `a field "${key}" that is not a column (the header, from the first record, is ${cols.join(delimiter)})`,
          'keep the same fields in every record (the `select` step), or write json or ndjson',
        );
      }
    }
    return line;
  }

  const encoder: Encoder = {
    batch(records) {
      if (records.length === 0) return '';
      const head = header === undefined ? start(records[0]) : '';
      const cols = header!;
      let text = head;
      for (let i = 0; i < records.length; i++) text += `${row(records[i], cols)}\n`;
      return text;
    },
    value(value) {
      return encoder.batch(Array.isArray(value) ? value : [value]);
    },
    end() {
      return '';
    },
  };
  return encoder;
}

function mismatch(index: number, what: string, hint?: string): FlowError {
  return new FlowError({
    code: 'BAD_RECORD',
    message: `cannot write record ${index} as CSV: it has ${what}`,
    record: { index },
    ...(hint ? { hint } : {}),
  });
}
