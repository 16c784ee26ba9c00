// Where a step's options name a field: a string option equal to the name (`by: weathr`), else an
// expression that reads it (`where: "r.temp_maxx > 30"`). Works for any step, plugins included,
// since it only needs the options and the name the step's `fields()` declared.
import type { SourceLocation } from '../../contract/errors.js';
import { formatPath, locate, locateInString, type PipelineSource, type Segment } from '../yaml-locate.js';
import { fieldSpan } from './spans.js';

export interface NamePlace {
  /** The option path, e.g. `map[0].with.where`. */
  path: string;
  location?: SourceLocation;
}

/** The first place in `options` (at `withAt` in the file) that names `field`; undefined when none does. */
export function locateName(src: PipelineSource | undefined, withAt: Segment[], options: unknown, field: string): NamePlace | undefined {
  const leaves = stringLeaves(options, withAt);
  const exact = leaves.find((leaf) => leaf.value === field);
  if (exact) return place(exact.at, locate(src, exact.at, 'value'));
  for (const leaf of leaves) {
    const span = leaf.value.includes('r') ? fieldSpan(leaf.value, field) : undefined;
    if (span) return place(leaf.at, locateInString(src, leaf.at, span.start, span.end - span.start));
  }
  return undefined;
}

function place(at: Segment[], location: SourceLocation | undefined): NamePlace {
  return { path: formatPath(at), ...(location ? { location } : {}) };
}

/** Every string in the options, depth first in written order, with its path. */
function stringLeaves(value: unknown, at: Segment[], out: Array<{ value: string; at: Segment[] }> = []): Array<{ value: string; at: Segment[] }> {
  if (typeof value === 'string') out.push({ value, at });
  else if (Array.isArray(value)) value.forEach((v, i) => stringLeaves(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringLeaves(v, [...at, k], out);
  return out;
}
