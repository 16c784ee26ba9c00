// JSON text for records and results. BigInt prints as a bare integer (exact); NaN and ±Infinity print
// as null, like JSON.stringify; `undefined` is dropped from objects and is null in arrays.
import { FlowError } from '../../../engine/contract/errors.js';
import type { Encoder } from './encoder.js';

/** One value as compact JSON text (never undefined: a lone undefined is `null`). */
export function toJson(value: unknown): string {
  try {
    // Fast path: the native serialiser; it only fails on BigInt (or a cycle).
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw cannotSerialise(error);
    return walk(value, '', new Set()) ?? 'null';
  }
}

/** JSON.stringify's rules, plus BigInt. Returns undefined where JSON.stringify would omit. */
function walk(value: unknown, key: string, ancestors: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(k: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof Number || value instanceof String || value instanceof Boolean) {
        return walk(value.valueOf(), key, ancestors);
      }
      if (ancestors.has(value)) throw cannotSerialise(new TypeError('circular structure'));
      ancestors.add(value);
      let text: string;
      if (Array.isArray(value)) {
        text = `[${value.map((item, i) => walk(item, String(i), ancestors) ?? 'null').join(',')}]`;
      } else {
        const parts: string[] = [];
        for (const [k, v] of Object.entries(value)) {
          const item = walk(v, k, ancestors);
          if (item !== undefined) parts.push(`${JSON.stringify(k)}:${item}`);
        }
        text = `{${parts.join(',')}}`;
      }
      ancestors.delete(value);
      return text;
    }
    default:
      return undefined; // undefined, functions, symbols
  }
}

function cannotSerialise(error: unknown): FlowError {
  const reason = error instanceof Error ? error.message : String(error);
  return new FlowError({ code: 'BAD_RECORD', message: `a value cannot be written as JSON: ${reason}` });
}

/**
 * `json`: a non-array result is one line (`42\n`); records and array results are a JSON array, one
 * element per line indented by two spaces (`[\n  1,\n  2\n]\n`), streamed batch by batch. Nothing
 * written at all is an empty array (`[]\n`).
 */
export function jsonEncoder(): Encoder {
  let state: 'empty' | 'array' | 'value' = 'empty';
  return {
    batch(records) {
      if (records.length === 0) return '';
      if (state === 'value') throw new Error('json encoder: records after a single value');
      let text = state === 'empty' ? `[\n  ${toJson(records[0])}` : `,\n  ${toJson(records[0])}`;
      for (let i = 1; i < records.length; i++) text += `,\n  ${toJson(records[i])}`;
      state = 'array';
      return text;
    },
    value(value) {
      if (Array.isArray(value)) return this.batch(value);
      if (state !== 'empty') throw new Error('json encoder: a single value after other output');
      state = 'value';
      return `${toJson(value)}\n`;
    },
    end() {
      return state === 'empty' ? '[]\n' : state === 'array' ? '\n]\n' : '';
    },
  };
}
