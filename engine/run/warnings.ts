// The warnings of a run (issue 10): a field that a step reads and that no record of the source had
// (Plan.watch, where only the data can tell), with a likely field; and `--strict`, which fails on any.
import { builtinModule } from '../../steps/registry.js';
import { FlowError } from '../contract/errors.js';
import type { RunWarning } from '../contract/outcomes.js';
import type { Plan } from '../contract/plan.js';
import type { SourceStep, StepContext } from '../contract/step.js';
import { didYouMean } from '../contract/suggest.js';

/** The watched fields some chunk's records had: the union of the chunk results' `seen`. */
export class SeenFields {
  private readonly seen = new Set<string>();
  take(fields: readonly string[] | undefined): void {
    if (fields) for (const f of fields) this.seen.add(f);
  }
  has(field: string): boolean {
    return this.seen.has(field);
  }
}

/** A warning for each watched field no record had; none when no record was read (nothing to go by). */
export async function fieldWarnings(plan: Plan, source: SourceStep, ctx: StepContext, seen: SeenFields, recordsIn: number): Promise<RunWarning[]> {
  const missing = (plan.watch ?? []).filter((w) => !seen.has(w.field));
  if (missing.length === 0 || recordsIn === 0) return [];
  // Only now, and only then, are the records' own field names looked for: projection keeps the
  // workers from seeing them, and the clean path never pays for it.
  const names = await sampleFieldNames(plan, source, ctx);
  return missing.map((w) => {
    const near = didYouMean(w.field, names);
    const hint = near ? `did you mean \`${near}\`? (a field the records have)` : names.length > 0 ? `the records have ${listNames(names)}` : undefined;
    return {
      code: 'UNKNOWN_FIELD',
      message: `no record has a field "${w.field}" (${w.path})`,
      step: w.step,
      ...(w.location ? { location: w.location } : {}),
      ...(hint ? { hint } : {}),
    };
  });
}

/** `--strict`: the run fails (exit 3) before its output is committed. */
export function strictFailure(warnings: readonly RunWarning[]): FlowError {
  const n = warnings.length;
  return new FlowError({
    code: 'STRICT_WARNINGS',
    message: `the run had ${n} warning${n === 1 ? '' : 's'} and --strict was given: no output was written`,
    hint: 'fix what the warnings say, or run without --strict',
  });
}

const SAMPLE_RECORDS = 1000;

/**
 * The top-level field names of the first records of a built-in source, read whole on the main
 * thread (a plugin source's reads may have effects: it is not read twice). [] on any failure.
 */
async function sampleFieldNames(plan: Plan, source: SourceStep, ctx: StepContext): Promise<string[]> {
  if (plan.source.module !== builtinModule('source', plan.source.name)) return [];
  const names = new Set<string>();
  try {
    const options = plan.source.options;
    const split = await source.split(options, { ...ctx, chunking: { bytes: 256 * 1024 }, workers: 1, hints: {} });
    const state = await source.setup?.(options, ctx);
    let n = 0;
    for await (const chunk of split.chunks) {
      for (const record of source.read({ ...chunk, index: 0 }, state)) {
        if (record !== null && typeof record === 'object' && !Array.isArray(record)) for (const k of Object.keys(record)) names.add(k);
        if (++n >= SAMPLE_RECORDS) return [...names];
      }
      if (names.size > 0) break;
    }
  } catch {
    // A suggestion is a courtesy: the warning stands without one.
  }
  return [...names];
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown}, ... (${names.length} in all)` : shown;
}
