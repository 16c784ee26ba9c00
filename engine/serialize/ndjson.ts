// `ndjson`: one compact JSON value per line, `\n` after every line (so `cat a b` stays valid).
import type { Encoder } from './encoder.js';
import { toJson } from './json.js';

export function ndjsonEncoder(): Encoder {
  return {
    batch(records) {
      return records.length === 0 ? '' : `${records.map(toJson).join('\n')}\n`;
    },
    value(value) {
      return Array.isArray(value) ? this.batch(value) : `${toJson(value)}\n`;
    },
    end() {
      return '';
    },
  };
}
