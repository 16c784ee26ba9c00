// The profile `flow inspect` prints, as a combiner over plain data (init, add, merge, finish): chunk
// profiles merged in chunk order give the profile of the whole input, whatever the chunking. Columns
// keep the order in which they were first seen; merge is associative with the empty profile as identity.

/** The kinds of value a column may hold, in the order counts are kept. */
export const kinds = ['integer', 'number', 'string', 'boolean', 'null', 'object', 'array'] as const;
export type Kind = (typeof kinds)[number];
const NULL = kinds.indexOf('null');

/** The column that stands for records that are neither objects nor arrays (lines of text, numbers). */
export const VALUE_COLUMN = '(value)';

export interface Profile {
  records: number;
  /** Column name to its index in `names` (a Map: it survives structuredClone between threads). */
  index: Map<string, number>;
  /** Column names in first-seen order. */
  names: string[];
  /** counts[i][k]: values of kinds[k] in column i. */
  counts: number[][];
  /** The first records, at most `rows` of them. */
  samples: unknown[];
}

export interface ColumnReport {
  name: string;
  /** integer, number (integers and fractions), string, boolean, null (only nulls), object, array, or mixed. */
  type: Kind | 'mixed';
  /** Records where the column is null or absent. */
  nulls: number;
  /** Records without the column (objects only; included in nulls). */
  missing: number;
  /** Values of each kind present (absent kinds left out). */
  values: Partial<Record<Kind, number>>;
}

export interface ProfileReport {
  records: number;
  columns: ColumnReport[];
  samples: unknown[];
}

export function emptyProfile(): Profile {
  return { records: 0, index: new Map(), names: [], counts: [], samples: [] };
}

export function kindOf(value: unknown): Kind {
  return kinds[kindIndex(value)]!;
}

/** The index in `kinds` of a value's kind (the hot path: no lookup by name). */
function kindIndex(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 0 : 1;
    case 'bigint':
      return 0;
    case 'string':
      return 2;
    case 'boolean':
      return 3;
    case 'object':
      return value === null ? NULL : Array.isArray(value) ? 6 : 5;
    default:
      // undefined (a JavaScript step's record): shown as null, as JSON would.
      return NULL;
  }
}

function column(profile: Profile, name: string): number[] {
  let i = profile.index.get(name);
  if (i === undefined) {
    i = profile.names.length;
    profile.index.set(name, i);
    profile.names.push(name);
    profile.counts.push(new Array<number>(kinds.length).fill(0));
  }
  return profile.counts[i]!;
}

/** Adds one record (in place): an object's fields, an array's elements by index, any other value as one column. */
export function addRecord(profile: Profile, record: unknown, rows: number): Profile {
  profile.records++;
  if (profile.samples.length < rows) profile.samples.push(record);
  if (Array.isArray(record)) {
    for (let i = 0; i < record.length; i++) column(profile, String(i))[kindIndex(record[i])]!++;
  } else if (record !== null && typeof record === 'object') {
    const object = record as Record<string, unknown>;
    for (const key of Object.keys(object)) column(profile, key)[kindIndex(object[key])]!++;
  } else {
    column(profile, VALUE_COLUMN)[kindIndex(record)]!++;
  }
  return profile;
}

/** `a` then `b` (in place into `a`): b's new columns come after a's, in b's order. */
export function mergeProfiles(a: Profile, b: Profile, rows: number): Profile {
  a.records += b.records;
  for (let i = 0; i < b.names.length; i++) {
    const into = column(a, b.names[i]!);
    const from = b.counts[i]!;
    for (let k = 0; k < kinds.length; k++) into[k]! += from[k]!;
  }
  for (const record of b.samples) {
    if (a.samples.length >= rows) break;
    a.samples.push(record);
  }
  return a;
}

export function finishProfile(profile: Profile): ProfileReport {
  const columns = profile.names.map((name, i): ColumnReport => {
    const counts = profile.counts[i]!;
    const present = counts.reduce((sum, n) => sum + n, 0);
    const missing = profile.records - present;
    const values: Partial<Record<Kind, number>> = {};
    kinds.forEach((kind, k) => {
      if (counts[k]! > 0) values[kind] = counts[k]!;
    });
    return { name, type: columnType(counts), nulls: counts[NULL]! + missing, missing, values };
  });
  return { records: profile.records, columns, samples: profile.samples };
}

/** One kind; integers with fractions are numbers; only nulls is null; any other mixture is mixed. */
function columnType(counts: number[]): Kind | 'mixed' {
  const held = kinds.filter((kind, k) => kind !== 'null' && counts[k]! > 0);
  if (held.length === 0) return 'null';
  if (held.length === 1) return held[0]!;
  if (held.length === 2 && held.includes('integer') && held.includes('number')) return 'number';
  return 'mixed';
}
