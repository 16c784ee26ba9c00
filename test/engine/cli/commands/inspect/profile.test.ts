// The profile combiner of flow inspect: what it says of each column, and the combiner laws, so any
// chunking and worker count give the same profile.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addRecord,
  emptyProfile,
  finishProfile,
  kindOf,
  kinds,
  mergeProfiles,
  VALUE_COLUMN,
  type Kind,
} from '../../../../../engine/cli/commands/inspect/profile.js';
import profileStep from '../../../../../engine/cli/commands/inspect/profile-step.js';
import { canon, checkReducerLaws } from '../../../../../engine/testing/index.js';

const profileOf = (records: unknown[], rows = 5) =>
  finishProfile(records.reduce((p: ReturnType<typeof emptyProfile>, r) => addRecord(p, r, rows), emptyProfile()));

// Values of every kind, and records that are objects over a few keys, arrays, or plain values.
const value = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt(),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant({ a: 1 }),
  fc.constant([1, 2]),
);
const record = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), value, { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.array(value, { maxLength: 3 }) },
  { weight: 1, arbitrary: value },
);
const records = fc.array(record, { maxLength: 40 });

/** The profile by the definition, in one pass over plain arrays: the reference for the property test. */
function reference(rs: unknown[], rows: number) {
  const order: string[] = [];
  const counts = new Map<string, Map<Kind, number>>();
  const bump = (name: string, v: unknown) => {
    if (!counts.has(name)) {
      order.push(name);
      counts.set(name, new Map());
    }
    const kind = kindOf(v);
    counts.get(name)!.set(kind, (counts.get(name)!.get(kind) ?? 0) + 1);
  };
  for (const r of rs) {
    if (Array.isArray(r)) r.forEach((v, i) => bump(String(i), v));
    else if (r !== null && typeof r === 'object') for (const [k, v] of Object.entries(r)) bump(k, v);
    else bump(VALUE_COLUMN, r);
  }
  return {
    records: rs.length,
    samples: rs.slice(0, rows),
    columns: order.map((name) => {
      const byKind = counts.get(name)!;
      const present = [...byKind.values()].reduce((a, b) => a + b, 0);
      return {
        name,
        nulls: (byKind.get('null') ?? 0) + rs.length - present,
        missing: rs.length - present,
        values: Object.fromEntries(kinds.filter((k) => byKind.has(k)).map((k) => [k, byKind.get(k)])),
      };
    }),
  };
}

describe('the profile of flow inspect', () => {
  it('types each column, counts nulls and missing fields, keeps first-seen order and the first rows', () => {
    const report = profileOf(
      [
        { id: 1, name: 'a', score: 1.5, tags: ['x'], ok: true },
        { id: 2, name: null, score: 2, extra: { k: 1 }, ok: 'yes' },
        { id: 3n, score: null, ok: false },
      ],
      2,
    );
    expect(report.records).toBe(3);
    expect(report.samples).toEqual([
      { id: 1, name: 'a', score: 1.5, tags: ['x'], ok: true },
      { id: 2, name: null, score: 2, extra: { k: 1 }, ok: 'yes' },
    ]);
    expect(report.columns).toEqual([
      { name: 'id', type: 'integer', nulls: 0, missing: 0, values: { integer: 3 } },
      { name: 'name', type: 'string', nulls: 2, missing: 1, values: { string: 1, null: 1 } },
      { name: 'score', type: 'number', nulls: 1, missing: 0, values: { integer: 1, number: 1, null: 1 } },
      { name: 'tags', type: 'array', nulls: 2, missing: 2, values: { array: 1 } },
      { name: 'ok', type: 'mixed', nulls: 0, missing: 0, values: { string: 1, boolean: 2 } },
      { name: 'extra', type: 'object', nulls: 2, missing: 2, values: { object: 1 } },
    ]);
  });

  it('profiles arrays by position and other values as one column; a column of nulls is null', () => {
    expect(
      profileOf([
        [1, 'a'],
        [2, null],
      ]).columns.map((c) => [c.name, c.type, c.nulls]),
    ).toEqual([
      ['0', 'integer', 0],
      ['1', 'string', 1],
    ]);
    expect(profileOf(['a line', 'another']).columns).toEqual([{ name: VALUE_COLUMN, type: 'string', nulls: 0, missing: 0, values: { string: 2 } }]);
    expect(profileOf([{ a: null }, { a: null }]).columns[0]).toMatchObject({ type: 'null', nulls: 2 });
    expect(profileOf([]).columns).toEqual([]);
  });

  it('merges chunk profiles in chunk order: columns first seen in a later chunk come after', () => {
    const first = addRecord(emptyProfile(), { b: 1 }, 1);
    const second = addRecord(addRecord(emptyProfile(), { c: 'x', b: 2 }, 1), { a: true }, 1);
    const merged = finishProfile(mergeProfiles(first, second, 1));
    expect(merged.columns.map((c) => c.name)).toEqual(['b', 'c', 'a']);
    expect(merged.samples).toEqual([{ b: 1 }]);
    expect(merged.records).toBe(3);
  });

  it('equals the profile by definition for any records (property)', () => {
    fc.assert(
      fc.property(records, fc.nat(6), (rs, rows) => {
        const got = profileOf(rs, rows);
        const want = reference(rs, rows);
        expect(canon(got.columns.map(({ type: _type, ...rest }) => rest))).toBe(canon(want.columns));
        expect(canon(got.samples)).toBe(canon(want.samples));
        expect(got.records).toBe(want.records);
      }),
      { numRuns: 300 },
    );
  });

  it('is a combiner: any chunking and merge order give the one-chunk profile (property)', () => {
    checkReducerLaws(profileStep, { options: { rows: 3 }, records, numRuns: 300, ctx: { pipelineDir: '/tmp' } });
  });
});
