// `checks:` after the JSON Schema: one kind key per check, sound expressions, `allow` where it means
// something, and each check as the plan holds it (CheckSpec), located at its kind key.
import { FlowError } from '../../contract/errors.js';
import type { CheckSpec } from '../../contract/plan.js';
import { checkResultExpr } from '../../execution/checks/result-expr.js';
import { checkExpr, type ExprIssue, type ExprParams } from '../../../steps/kit/expr/index.js';
import { formatPath, locate, locateInString, type PipelineSource, type Segment } from '../yaml-locate.js';
import { parseShare, SHARE_PATTERN } from '../schema/schema.js';
import { CHECK_KINDS } from './schema.js';

/**
 * The checks as the plan holds them, and the errors of those that are not sound. A check with a
 * type error the schema already reported is left out without a second message.
 */
/** `params`: the params in effect, which `where` and `result` expressions may read. */
export function checkChecks(input: Record<string, unknown>, src?: PipelineSource, params: ExprParams = {}): { checks?: CheckSpec[]; errors: FlowError[] } {
  const raw = input.checks;
  if (!Array.isArray(raw)) return { errors: [] };
  const errors: FlowError[] = [];
  const checks: CheckSpec[] = [];
  raw.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return;
    const found = oneCheck(item as Record<string, unknown>, ['checks', i], Object.hasOwn(input, 'reduce'), params, src);
    if (found instanceof FlowError) errors.push(found);
    else if (Array.isArray(found)) errors.push(...found);
    else if (found) checks.push(found);
  });
  return { ...(checks.length > 0 ? { checks } : {}), errors };
}

function oneCheck(
  item: Record<string, unknown>,
  at: Segment[],
  hasReduce: boolean,
  params: ExprParams,
  src?: PipelineSource,
): CheckSpec | FlowError | FlowError[] | undefined {
  const kinds = CHECK_KINDS.filter((k) => Object.hasOwn(item, k));
  const error = (message: string, segments: Segment[], hint: string, which: 'key' | 'value' = 'key') => {
    const location = locate(src, segments, which);
    return new FlowError({ code: 'INVALID_VALUE', message, path: formatPath(segments), ...(location ? { location } : {}), hint });
  };
  if (kinds.length === 0) {
    const others = Object.keys(item).filter((k) => !['name', 'allow', 'severity'].includes(k));
    // An unknown key is the schema's message already (with its did-you-mean).
    if (others.length > 0) return undefined;
    return error('a check needs one kind key', at, `one of ${CHECK_KINDS.join(', ')}, e.g. - not-null: id`, 'value');
  }
  if (kinds.length > 1) {
    return error(`a check has one kind key, this one has ${kinds.length}: ${kinds.join(', ')}`, [...at, kinds[1]!], 'write each as its own item of checks:');
  }
  const kind = kinds[0]!;
  const kindAt = [...at, kind];
  const location = locate(src, kindAt, 'key');
  const value = item[kind];
  const allowRaw = item.allow;
  if (allowRaw !== undefined && (kind === 'rows' || kind === 'result')) {
    return error(`allow does not apply to a ${kind} check: it passes or fails as a whole`, [...at, 'allow'], 'remove allow');
  }
  if (kind === 'result' && !hasReduce) {
    return error(
      'a result check needs a reduce: step (it reads the final result)',
      kindAt,
      'check the records with where:, not-null:, unique:, values-in: or rows:',
    );
  }
  // Types were checked by the schema: a value of the wrong shape is skipped here (already reported).
  if (allowRaw !== undefined && !(typeof allowRaw === 'string' && new RegExp(SHARE_PATTERN).test(allowRaw)) && !isCount(allowRaw)) return undefined;
  const allow = typeof allowRaw === 'number' ? { count: allowRaw } : typeof allowRaw === 'string' ? { share: parseShare(allowRaw) } : { count: 0 };
  const severity = item.severity === 'warn' ? 'warn' : 'error';
  if (item.severity !== undefined && item.severity !== 'warn' && item.severity !== 'error') return undefined;
  const common = { severity, allow, path: formatPath(at), ...(location ? { location } : {}) } as const;
  const named = (made: string) => (typeof item.name === 'string' && item.name.length > 0 ? item.name : made);
  switch (kind) {
    case 'rows': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      const { min, max } = value as { min?: unknown; max?: unknown };
      if ((min !== undefined && !isCount(min)) || (max !== undefined && !isCount(max))) return undefined;
      if (min === undefined && max === undefined) return error('a rows check needs min, max or both', kindAt, 'e.g. rows: { min: 1 }', 'value');
      if (min !== undefined && max !== undefined && (min as number) > (max as number)) {
        return error(`rows: min (${String(min)}) is more than max (${String(max)})`, [...kindAt, 'min'], 'swap them');
      }
      const bounds = { ...(min !== undefined ? { min: min as number } : {}), ...(max !== undefined ? { max: max as number } : {}) };
      return { kind, name: named(`rows ${describeBounds(bounds)}`), ...bounds, ...common };
    }
    case 'not-null':
    case 'unique': {
      const fields =
        typeof value === 'string' ? [value] : Array.isArray(value) && value.every((f) => typeof f === 'string' && f !== '') ? (value as string[]) : [];
      if (fields.length === 0 || fields.includes('')) return undefined;
      return { kind, name: named(`${kind}: ${fields.join(', ')}`), fields, ...common };
    }
    case 'values-in': {
      const v = value as { field?: unknown; values?: unknown } | null;
      if (!v || typeof v.field !== 'string' || !Array.isArray(v.values)) return undefined;
      return { kind, name: named(`values-in: ${v.field}`), field: v.field, values: v.values, ...common };
    }
    case 'where':
    case 'result': {
      if (typeof value !== 'string' || value === '') return undefined;
      const issues: ExprIssue[] = kind === 'where' ? checkExpr(value, params) : checkResultExpr(value, params);
      if (issues.length > 0) {
        return issues.map((issue) => {
          const where = locateInString(src, kindAt, issue.offset, issue.length);
          return new FlowError({
            code: issue.code,
            message: issue.message,
            path: formatPath(kindAt),
            ...(where ? { location: where } : {}),
            ...(issue.hint ? { hint: issue.hint } : {}),
          });
        });
      }
      return { kind, name: named(`${kind}: ${value}`), expr: value, ...common };
    }
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function describeBounds({ min, max }: { min?: number; max?: number }): string {
  if (min !== undefined && max !== undefined) return `${min} to ${max}`;
  return min !== undefined ? `at least ${min}` : `at most ${max}`;
}

/** `allow:` as a number of records, for this many checked. */
export function allowedCount(allow: CheckSpec['allow'], checked: number): number {
  // 0.1% of 3000 is 3, whatever 0.001 * 3000 rounds to in binary.
  return 'count' in allow ? allow.count : Math.floor(allow.share * checked + 1e-9);
}
