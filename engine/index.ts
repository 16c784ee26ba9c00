// The public API of flow: the step contract, running pipelines, and the error types.
export { defineStep, defineReducer } from './contract/step.js';
export { BadRecord, isBadRecord } from './contract/bad-record.js';
export type * from './contract/step.js';
export { runPipeline, executePlan } from './run/run.js';
export type { RunOptions, RunResult, RunSummary } from './run/types.js';
export { preparePipeline } from './planning/prepare.js';
export type { PrepareOptions } from './planning/prepare.js';
export type { PipelineObject } from './planning/load-object.js';
export type { Plan, PipelineSpec, ResolvedStep, StepSpec } from './contract/plan.js';
export { FlowError, FlowErrors, catalogue } from './contract/errors.js';
export type { ErrorCode, SourceLocation } from './contract/errors.js';
export { formatError } from './cli/format-error.js';
