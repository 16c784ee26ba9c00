export * from './byte-range.js';
export * from './chunks.js';
export * from './csv.js';
export * from './glob.js';
export * from './json-array.js';
export * from './lines.js';
export * from './ndjson.js';
export * from './split-file.js';
