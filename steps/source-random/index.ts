// The `random` source: seeded uniform floats, the same whatever the chunking.
export { default } from './step.js';
