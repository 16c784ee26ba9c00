// flow-pipelines/testing: what a step's own tests need, without a pool or a pipeline file.
export { runStep } from './run-step.js';
export type { RunStepContext } from './run-step.js';
export { validateOptions } from './options.js';
export type { OptionsOfStep } from './options.js';
export { checkReducerLaws, canon } from './laws.js';
export type { ReducerLawsOptions } from './laws.js';
