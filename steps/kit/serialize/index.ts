// Serialisers: records and results as json, ndjson or csv text, built a batch at a time.
import type { OutputFormat } from '../../../engine/contract/step.js';
import { csvEncoder, type CsvOptions } from './csv.js';
import type { Encoder } from './encoder.js';
import { jsonEncoder } from './json.js';
import { ndjsonEncoder } from './ndjson.js';

export type { Encoder } from './encoder.js';
export { toJson, jsonEncoder } from './json.js';
export { ndjsonEncoder } from './ndjson.js';
export { csvEncoder, csvCell, type CsvOptions } from './csv.js';
export { formatFromPath, outputFormats } from './formats.js';
export { encodingSink, type TextTarget } from './sink.js';
export { gzipWriter, isGzipPath } from './gzip.js';

/** A fresh encoder (they are stateful: one per output). */
export function createEncoder(format: OutputFormat, options: { csv?: CsvOptions } = {}): Encoder {
  switch (format) {
    case 'json':
      return jsonEncoder();
    case 'ndjson':
      return ndjsonEncoder();
    case 'csv':
      return csvEncoder(options.csv);
  }
}
