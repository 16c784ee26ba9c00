// The package's steps by name, for code that imports them (tests, the programmatic API).
export { default as parseDate } from './parse-date.mjs';
export { default as histogram } from './histogram.mjs';
