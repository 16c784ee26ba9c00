// The checks in the field check (planning/fields): each record check reads its fields after the map
// steps, so a misspelt one is UNKNOWN_FIELD where the source knows its fields (a CSV header), or is
// watched during the run, like a step's. Otherwise a typo in `unique: idd` checks nothing and passes.
import type { CheckSpec } from '../../contract/plan.js';
import type { SourceLocation } from '../../contract/errors.js';
import { exprFields } from '../../../steps/kit/expr/index.js';
import type { ChainStep } from '../fields/chain.js';
import { formatPath, locate, locateInString, parsePath, type PipelineSource, type Segment } from '../yaml-locate.js';

/** A chain step per record check (it keeps the records' fields as they are). */
export function checkChainSteps(checks: readonly CheckSpec[] | undefined): Array<ChainStep & { check: CheckSpec }> {
  return (checks ?? []).flatMap((check) => {
    if (check.kind === 'rows' || check.kind === 'result') return [];
    const reads = check.kind === 'values-in' ? [check.field] : check.kind === 'where' ? exprFields(check.expr) : check.fields;
    return [{ check, label: `${check.path} (${check.kind})`, reads, effect: { keep: true } as const }];
  });
}

/** Where a check names `field`: the list item or string, `values-in.field`, or the name in a `where` expression. */
export function locateCheckField(src: PipelineSource | undefined, check: CheckSpec, field: string): { path: string; location?: SourceLocation } {
  const at: Segment[] = [...parsePath(check.path), check.kind];
  const fallback = { path: formatPath(at), ...(check.location ? { location: check.location } : {}) };
  let found: SourceLocation | undefined;
  let segments = at;
  if (check.kind === 'not-null' || check.kind === 'unique') {
    // The list's item; for the one-field string form, the string (locate stops at the deepest node).
    segments = [...at, check.fields.indexOf(field)];
    found = locate(src, segments, 'value');
  } else if (check.kind === 'values-in') {
    segments = [...at, 'field'];
    found = locate(src, segments, 'value');
  } else if (check.kind === 'where') {
    const m = new RegExp(`\\br\\s*(?:\\?\\.|\\.)\\s*${field.replace(/[$]/g, '\\$')}\\b|\\br\\s*\\[\\s*(['"])${field.replace(/[$]/g, '\\$')}\\1`).exec(
      check.expr,
    );
    if (m) found = locateInString(src, at, m.index + m[0].indexOf(field), field.length);
  }
  return found ? { path: formatPath(segments), location: found } : fallback;
}
