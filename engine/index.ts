// The public API of flow: the step contract, running pipelines, and the error types.
export { defineStep, defineReducer } from './step.js';
export type * from './step.js';
export { runPipeline, executePlan } from './run.js';
export type { RunOptions, RunResult, RunSummary } from './run.js';
export { preparePipeline } from './prepare.js';
export type { PrepareOptions } from './prepare.js';
export type { PipelineObject } from './load-object.js';
export type { Plan, PipelineSpec, ResolvedStep, StepSpec } from './plan.js';
export { FlowError, FlowErrors, catalogue } from './errors.js';
export type { ErrorCode, SourceLocation } from './errors.js';
export { formatError } from './format-error.js';
