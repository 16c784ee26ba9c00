// `ndjson`: one compact JSON value per line, `\n` after every line (so `cat a b` stays valid).
import type { Encoder } from './encoder.js';
import { toJson } from './json.js';

export function ndjsonEncoder(): Encoder {
  return {
    batch(records) {
      let text = ''; // concatenation beats map+join here (V8 ropes)
      for (let i = 0; i < records.length; i++) text += `${toJson(records[i])}\n`;
      return text;
    },
    value(value) {
      return Array.isArray(value) ? this.batch(value) : `${toJson(value)}\n`;
    },
    end() {
      return '';
    },
  };
}
