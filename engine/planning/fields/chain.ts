// Which fields a record has at each step, followed through the map steps: the pure part of the
// field check. A source that knows its fields (a CSV header) starts it known; `set` adds its
// names, `select` narrows to its list, and a step that rebuilds the record (transform, flat-map,
// a plugin) ends what can be said about it.

/** What a map step does to the record's fields. */
export type FieldEffect = { keep: true } | { add: string[] } | { only: string[] } | { unknown: true };

export interface ChainStep {
  /** `map[1] (select)`. */
  label: string;
  /** The top-level fields the step reads by name; undefined: it cannot tell. */
  reads: string[] | undefined;
  /** Undefined for the reducer, which is last. */
  effect?: FieldEffect;
}

/** The fields a record has at some step: all `known`; or unknown besides those `added` by `set`; or nothing can be said. */
type State = { known: Set<string>; since?: string } | { added: Set<string> } | 'lost';

export interface FieldFinding {
  /** Index of the step in the chain. */
  step: number;
  field: string;
}

export interface Tracked {
  /** A field read where the record's fields are known and it is not among them, with those fields. */
  unknown: Array<FieldFinding & { known: string[]; since?: string }>;
  /** A field read that only the data can tell: it must come from the source's records (checked during the run). */
  watch: FieldFinding[];
}

/** Follows the fields from the source (`source`: its known fields, or undefined) through `steps`. */
export function trackFields(source: readonly string[] | undefined, steps: readonly ChainStep[]): Tracked {
  const unknown: Tracked['unknown'] = [];
  const watch: FieldFinding[] = [];
  const watched = new Set<string>();
  let state: State = source ? { known: new Set(source) } : { added: new Set() };
  steps.forEach((s, step) => {
    for (const field of s.reads ?? []) {
      if (state === 'lost') break;
      if ('known' in state) {
        if (!state.known.has(field)) unknown.push({ step, field, known: [...state.known], ...(state.since ? { since: state.since } : {}) });
      } else if (!state.added.has(field) && !watched.has(field)) {
        // Once per field: the first step that reads it is the one a warning names.
        watched.add(field);
        watch.push({ step, field });
      }
    }
    state = after(state, s);
  });
  return { unknown, watch };
}

function after(state: State, s: ChainStep): State {
  const effect = s.effect;
  if (!effect || 'keep' in effect) return state;
  // select gives every record exactly its fields (null where missing), whatever came before.
  if ('only' in effect) return { known: new Set(effect.only), since: s.label };
  if ('unknown' in effect || state === 'lost') return 'lost';
  if ('known' in state) return { known: new Set([...state.known, ...effect.add]), ...(state.since ? { since: state.since } : {}) };
  return { added: new Set([...state.added, ...effect.add]) };
}
