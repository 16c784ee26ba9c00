// What the checks change in a plan's fast paths (docs/architecture.md, "Fast paths"): projection
// must parse the fields they read, and the numbers and columns forms, which have no record to hand them, are off.
import type { CheckSpec, Execution } from '../../contract/plan.js';
import { exprFields } from '../../../steps/kit/expr/index.js';

/** The top-level fields the record checks read; undefined when a `where` reads the record whole. */
export function checksRead(checks: readonly CheckSpec[]): string[] | undefined {
  const fields: string[] = [];
  for (const check of checks) {
    if (check.kind === 'not-null' || check.kind === 'unique') fields.push(...check.fields);
    else if (check.kind === 'values-in') fields.push(check.field);
    else if (check.kind === 'where') {
      const read = exprFields(check.expr);
      if (!read) return undefined;
      fields.push(...read);
    }
  }
  return fields;
}

/** The steps' projection with the checks' fields added (or given up, when a check reads whole records). */
export function withCheckFields(found: { fields?: string[]; reason: string }, checks: readonly CheckSpec[] | undefined): { fields?: string[]; reason: string } {
  if (!checks || checks.length === 0 || !found.fields) return found;
  const read = checksRead(checks);
  if (!read) return { reason: 'whole records: a where check reads the record whole' };
  const added = read.filter((f, i) => !found.fields!.includes(f) && read.indexOf(f) === i);
  if (added.length === 0) return found;
  const fields = [...found.fields, ...added];
  return { fields, reason: `${found.reason}; the checks read ${added.join(', ')}` };
}

/** The numbers form hands no record to check: with a record check, chunks go record by record. The columns form hands each row as one. */
export function withCheckExecution(execution: Execution, checks: readonly CheckSpec[] | undefined): Execution {
  const record = (checks ?? []).filter((c) => c.kind !== 'rows' && c.kind !== 'result');
  if (execution.form === 'records' || record.length === 0) return execution;
  // Columns keep their form: each row goes to the checks as its record (execution/checks/rows.ts).
  if (execution.form === 'columns')
    return { ...execution, reasons: [...execution.reasons, `checks: the ${record[0]!.kind} check sees each row of the columns as its record`] };
  const reasons = execution.reasons.map((r) =>
    r.startsWith('numbers:') ? `records: the ${record[0]!.kind} check looks at each record (numbers in bulk have none)` : r,
  );
  return { ...execution, form: 'records', surelyNumbers: false, reasons };
}
