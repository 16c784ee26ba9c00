// The field check at validation (issue 10): a field named by an expression or a step option that
// the records cannot have is an UNKNOWN_FIELD error at the name, with a did-you-mean; where the
// source cannot tell its fields before the run, the fields to watch during the run.
import { builtinModule } from '../../../steps/registry.js';
import { FlowError } from '../../contract/errors.js';
import { stepLabel, type CheckSpec, type FieldWatch } from '../../contract/plan.js';
import { checkChainSteps, locateCheckField } from '../checks/fields.js';
import type { MapStep, ReduceStep, SourceStep, StepContext } from '../../contract/step.js';
import { didYouMean } from '../../contract/suggest.js';
import type { StepResult } from '../resolve/resolve-step.js';
import { isUnknownValue } from '../validate/offline.js';
import { parsePath, type PipelineSource } from '../yaml-locate.js';
import { trackFields, type ChainStep, type FieldEffect } from './chain.js';
import { locateName } from './locate-name.js';

export interface FieldCheck {
  errors: FlowError[];
  /** Fields the source's records should have that only the data can tell (Plan.watch). */
  watch: FieldWatch[];
}

/** Checks the field names of resolved steps (each with `resolved` and `step`). */
export function checkFields(
  source: StepResult,
  map: StepResult[],
  reduce: StepResult | undefined,
  ctx: StepContext,
  src?: PipelineSource,
  checks?: readonly CheckSpec[],
): FieldCheck {
  const step = (r: StepResult, i: number): ChainStep => ({
    label: stepLabel(r.resolved!),
    reads: readsOf(r),
    ...(i < map.length ? { effect: effectOf(r) } : {}),
  });
  // The data checks read the records after the map steps, before the reducer.
  const checkSteps = checkChainSteps(checks);
  const results = [...map, ...(reduce ? [reduce] : [])];
  const chain: ChainStep[] = [...map.map(step), ...checkSteps, ...(reduce ? [step(reduce, map.length)] : [])];
  const tracked = trackFields(sourceFields(source, ctx), chain);
  const at = (index: number, field: string) => {
    const checkStep = checkSteps[index - map.length];
    if (checkStep) return locateCheckField(src, checkStep.check, field);
    const r = results[index < map.length ? index : index - checkSteps.length]!.resolved!;
    return locateName(src, [...parsePath(r.path), 'with'], r.options, field) ?? { path: r.path, ...(r.location ? { location: r.location } : {}) };
  };
  const errors = tracked.unknown.map(({ step, field, known, since }) => {
    const { path, location } = at(step, field);
    const near = didYouMean(field, known);
    return new FlowError({
      code: 'UNKNOWN_FIELD',
      message: `no field "${field}" in the records ${since ? `after ${since}` : 'of the source'}`,
      path,
      ...(location ? { location } : {}),
      hint: near ? `did you mean \`${near}\`?` : `the records have ${listNames(known)}`,
    });
  });
  const watch = tracked.watch.map(({ step, field }): FieldWatch => {
    const { path, location } = at(step, field);
    return { field, step: chain[step]!.label, path, ...(location ? { location } : {}) };
  });
  return { errors, watch };
}

/** The source's own declaration; a source that fails to tell (data not there yet: `validate --offline`) tells nothing. */
function sourceFields({ step, resolved }: StepResult, ctx: StepContext): string[] | undefined {
  try {
    const fields = (step as SourceStep).fields?.(resolved!.options, ctx);
    return Array.isArray(fields) && fields.every((f) => typeof f === 'string') ? fields : undefined;
  } catch {
    return undefined;
  }
}

function readsOf({ step, resolved }: StepResult): string[] | undefined {
  const r = resolved!;
  // top keeps whole records, so it declares no fields (readers must keep them all), yet `by` is a name.
  if (r.kind === 'reduce' && r.module === builtinModule('reduce', 'top')) return isUnknownValue(r.options.by) ? [] : [String(r.options.by)];
  try {
    const fields = (step as MapStep | ReduceStep).fields?.(r.options);
    // Offline, a name from an unset variable is not known yet: nothing to say about it.
    return Array.isArray(fields) ? fields.filter((f) => typeof f === 'string' && !isUnknownValue(f)) : undefined;
  } catch {
    return undefined;
  }
}

/** What a built-in map step does to the fields; a plugin may add or drop any, so nothing is known after it. */
function effectOf({ resolved }: StepResult): FieldEffect {
  const r = resolved!;
  const builtin = (name: string) => r.module === builtinModule('map', name);
  if (builtin('filter')) return { keep: true };
  const names = builtin('set') ? Object.keys(r.options.fields as Record<string, string>) : builtin('select') ? (r.options.fields as string[]) : undefined;
  // Offline, a name from an unset variable may be any name.
  if (!names || names.some(isUnknownValue)) return { unknown: true };
  return builtin('set') ? { add: names } : { only: [...names] };
}

function listNames(names: string[]): string {
  if (names.length === 0) return 'no fields';
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown}, ... (${names.length} in all)` : shown;
}
