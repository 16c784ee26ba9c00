// Which fast paths a plan takes, decided once with the steps in hand and recorded with the reason
// (docs/architecture.md, "Fast paths"). Workers build their program in the form chosen here.
import { fastPathOn, fastPaths } from '../../contract/fast-paths.js';
import { stepLabel, type Execution } from '../../contract/plan.js';
import type { MapStep, ReduceStep, SourceStep } from '../../contract/step.js';
import type { StepResult } from './resolve-step.js';

export function decideExecution(
  source: StepResult,
  map: StepResult[],
  reduce: StepResult | undefined,
  env: NodeJS.ProcessEnv,
  fieldsReason?: string,
): Execution {
  const reasons: string[] = fieldsReason ? [fieldsReason] : [];
  const sourceStep = source.step as SourceStep;
  const maps = map.map((r) => ({ step: r.step as MapStep, options: r.resolved!.options }));
  const reducer = reduce?.step as ReduceStep | undefined;

  let form: Execution['form'] = 'records';
  let surelyNumbers = false;
  const lacking = [
    ...(sourceStep.fast?.numbers ? [] : [`the source ${source.resolved!.name}`]),
    ...map.filter((_, i) => !maps[i]!.step.fast?.numbers).map((r) => stepLabel(r.resolved!)),
    ...(reducer && !reducer.fast?.numbers ? [`the reducer ${reduce!.resolved!.name}`] : []),
  ];
  const columns = lacking.length > 0 ? columnsReason(sourceStep, map.length, reducer, env) : undefined;
  if (columns?.startsWith('columns:')) form = 'columns';
  if (lacking.length > 0) reasons.push(columns ?? `records: ${lacking.join(', ')} cannot take numbers in bulk`);
  else if (!fastPathOn('numbers', env)) reasons.push(`records: ${fastPaths.numbers}=1`);
  else {
    form = 'numbers';
    surelyNumbers = maps.every(({ step, options }) => step.fast!.numbers!.always(options));
    reasons.push(
      `numbers: every step takes a chunk as one Float64Array${surelyNumbers ? ', and keeps it numbers' : ' (a chunk whose maps give other values goes record by record)'}`,
    );
  }

  const emit = sourceStep.fast?.each !== undefined && fastPathOn('emit', env);
  if (sourceStep.fast?.each) reasons.push(emit ? 'emit: the source hands records to a callback' : `iterator: ${fastPaths.emit}=1`);
  return { form, surelyNumbers, emit, reasons };
}

/**
 * Whether the reducer adds chunks from the source's columns: both must offer it and no map step come
 * between; undefined when not taken for those. A watched field is seen when its column is there.
 */
function columnsReason(source: SourceStep, maps: number, reducer: ReduceStep | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (!source.fast?.columns || !reducer?.fast?.columns || maps > 0) return undefined;
  if (!fastPathOn('columns', env)) return `records: ${fastPaths.columns}=1`;
  return "columns: the reducer adds a chunk from the source's columns, with no record objects (a chunk the source cannot give as columns goes record by record)";
}

/**
 * The top-level fields the map and reduce steps read, when every one of them can tell. Only with a
 * reducer: without one the output writes whole records, so every field is needed.
 */
export function readFields(results: StepResult[], env: NodeJS.ProcessEnv): { fields?: string[]; reason: string } {
  const union = new Set<string>();
  for (const r of results) {
    const step = r.step as MapStep | ReduceStep;
    const fields = step.fields?.(r.resolved!.options);
    if (!fields) return { reason: `whole records: ${stepLabel(r.resolved!)} may read any field` };
    for (const f of fields) union.add(f);
  }
  if (!fastPathOn('projection', env)) return { reason: `whole records: ${fastPaths.projection}=1` };
  return { fields: [...union], reason: `projection: the steps read ${[...union].join(', ') || 'no field'}` };
}
