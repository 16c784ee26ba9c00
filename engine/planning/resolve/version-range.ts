// npm-style version ranges, for a step's `flow:` field (the flow versions it supports). A small
// subset of node-semver: comparators (< <= > >= =), partial and x versions (1, 1.2, 1.x, *),
// ^ and ~, hyphen ranges (1.2 - 2), spaces for "and", || for "or".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../contract/package.js';

type Version = [number, number, number, string[]];
type Op = '<' | '<=' | '>' | '>=' | '=';
type Comparator = [Op, Version];

const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

let own: string | undefined;
/** The version of this flow, from its package.json. */
export function flowVersion(): string {
  own ??= (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return own;
}

/** True when `version` is in `range`; undefined when `range` is not a range this parser knows. */
export function satisfies(version: string, range: string): boolean | undefined {
  const sets = parseRange(range);
  const v = parseVersion(version);
  if (!sets || !v) return undefined;
  return sets.some((set) => set.every(([op, bound]) => test(compare(v, bound), op)));
}

export function parseRange(range: string): Comparator[][] | undefined {
  const sets: Comparator[][] = [];
  for (const alternative of range.split('||')) {
    const text = alternative.trim().replace(/(<=|>=|<|>|=|\^|~)\s+/g, '$1');
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const set = hyphen ? hyphenRange(hyphen[1]!, hyphen[2]!) : text === '' ? [] : joinAll(text.split(/\s+/).map(comparator));
    if (!set) return undefined;
    sets.push(set);
  }
  return sets;
}

function joinAll(parts: (Comparator[] | undefined)[]): Comparator[] | undefined {
  return parts.some((p) => p === undefined) ? undefined : parts.flat() as Comparator[];
}

interface Partial {
  nums: number[];
  pre: string[];
}

function partial(text: string): Partial | undefined {
  const m = PARTIAL.exec(text);
  if (!m) return undefined;
  const nums: number[] = [];
  for (const part of [m[1], m[2], m[3]]) {
    if (part === undefined || /^[xX*]$/.test(part)) break;
    nums.push(Number(part));
  }
  return { nums, pre: m[4] ? m[4].split('.') : [] };
}

const v = (nums: number[], pre: string[] = []): Version => [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0, pre];
/** The first version after every version matching a partial: 1.2 -> 1.3.0, 1 -> 2.0.0. */
const next = (nums: number[]): Version => (nums.length === 1 ? v([nums[0]! + 1]) : v([nums[0]!, nums[1]! + 1]));

function comparator(token: string): Comparator[] | undefined {
  const m = /^(<=|>=|<|>|=|\^|~)?(.*)$/.exec(token)!;
  const op = m[1] ?? '';
  const p = partial(m[2]!);
  if (!p) return undefined;
  const { nums, pre } = p;
  const full = nums.length === 3;
  if (nums.length === 0) return op === '<' || op === '>' ? [['<', v([0], ['0'])]] : [];
  switch (op) {
    case '':
    case '=':
      return full ? [['=', v(nums, pre)]] : [['>=', v(nums)], ['<', next(nums)]];
    case '>':
      return full ? [['>', v(nums, pre)]] : [['>=', next(nums)]];
    case '>=':
      return [['>=', v(nums, pre)]];
    case '<':
      return [['<', v(nums, pre)]];
    case '<=':
      return full ? [['<=', v(nums, pre)]] : [['<', next(nums)]];
    case '~':
      return [['>=', v(nums, pre)], ['<', next(nums.slice(0, 2))]];
    default: {
      // ^: the left-most non-zero part may not change.
      const lead = nums.findIndex((n) => n !== 0);
      const keep = lead === -1 ? nums.length : lead + 1;
      const upper = keep >= 3 ? v([nums[0]!, nums[1]!, nums[2]! + 1]) : next(nums.slice(0, keep));
      return [['>=', v(nums, pre)], ['<', upper]];
    }
  }
}

function hyphenRange(from: string, to: string): Comparator[] | undefined {
  const a = partial(from);
  const b = partial(to);
  if (!a || !b) return undefined;
  const upper: Comparator[] = b.nums.length === 0 ? [] : b.nums.length === 3 ? [['<=', v(b.nums, b.pre)]] : [['<', next(b.nums)]];
  return [['>=', v(a.nums, a.pre)], ...upper];
}

function parseVersion(text: string): Version | undefined {
  const p = partial(text.trim());
  return p && p.nums.length === 3 ? v(p.nums, p.pre) : undefined;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  // A prerelease sorts before its release; prerelease fields compare numerically or by text.
  const [pa, pb] = [a[3], b[3]];
  if (pa.length === 0 || pb.length === 0) return pb.length - pa.length;
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [x, y] = [pa[i]!, pb[i]!];
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny) return Number(x) - Number(y);
    return nx ? -1 : ny ? 1 : x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function test(order: number, op: Op): boolean {
  return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : op === '>=' ? order >= 0 : order === 0;
}

/** Why a step's `flow:` range rules this flow out (or is not a range), or undefined when it fits. */
export function flowRangeProblem(name: string, range: unknown): { message: string; hint: string } | undefined {
  if (range === undefined) return undefined;
  const fits = typeof range === 'string' ? satisfies(flowVersion(), range) : undefined;
  if (fits === undefined) {
    return { message: `"${name}" declares flow: ${JSON.stringify(range)}, which is not a version range`, hint: 'write an npm-style range of flow versions, e.g. ">=0.1 <1" or "^0.1"' };
  }
  if (fits) return undefined;
  return { message: `"${name}" supports flow ${range}, but this is flow ${flowVersion()}`, hint: `install a version of "${name}" made for flow ${flowVersion()}, or a flow in ${range}` };
}
