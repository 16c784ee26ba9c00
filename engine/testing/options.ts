// Options as the engine sees them: validated against the step's schema, defaults filled in, check() run.
import { FlowError, throwIfAny } from '../contract/errors.js';
import { optionValidator, schemaErrors } from '../planning/validate/schema-errors.js';
import type { MapStep, OutputStep, ReduceStep, SourceStep, Step, StepContext } from '../contract/step.js';

/** The options a step of type T takes. */
export type OptionsOfStep<T> =
  T extends MapStep<infer O, any>
    ? O
    : T extends ReduceStep<infer O, any, any, any>
      ? O
      : T extends SourceStep<infer O, any, any>
        ? O
        : T extends OutputStep<infer O>
          ? O
          : never;

/** A test-sized context: relative paths in options resolve against `pipelineDir` (default: the cwd). */
export function testContext(ctx: Partial<StepContext> = {}): StepContext {
  return {
    pipelineDir: ctx.pipelineDir ?? process.cwd(),
    ...(ctx.pipelineFile ? { pipelineFile: ctx.pipelineFile } : {}),
    ...(ctx.params ? { params: ctx.params } : {}),
  };
}

/**
 * Validates `options` (the step's `with:`) the way a pipeline would: the JSON Schema with defaults
 * filled in, then the step's own check(). Returns the options the step will see; throws a FlowError
 * (FlowErrors for several) whose `path` names the option, e.g. `with.field`.
 */
export function validateOptions<T extends Step>(step: T, options: unknown = {}, ctx: Partial<StepContext> = {}): OptionsOfStep<T> {
  const copy = structuredClone(options);
  const validate = optionValidator(step.options);
  if (!validate(copy)) throwIfAny(schemaErrors(validate.errors, options, ['with'], undefined));
  const issues = step.check?.(copy, testContext(ctx)) ?? [];
  throwIfAny(
    issues.map(
      (issue) =>
        new FlowError({ code: issue.code ?? 'INVALID_VALUE', message: issue.message, path: `with.${issue.path}`, ...(issue.hint ? { hint: issue.hint } : {}) }),
    ),
  );
  return copy as OptionsOfStep<T>;
}
