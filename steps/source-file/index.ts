// The `file` source: records from files and globs, split by byte ranges.
export { default } from './step.js';
