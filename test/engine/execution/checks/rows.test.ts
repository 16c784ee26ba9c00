// The record checks of a chunk read as columns: `batch` (each check decided per dictionary entry,
// a unique key put together from its entries' parts, or each row handed over as its record) gives
// the states `add` gives for the same rows as records: counts, examples, key bytes and hashes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckSpec } from '../../../../engine/contract/plan.js';
import type { Column, ColumnBatch } from '../../../../engine/contract/step.js';
import { recordChecks } from '../../../../engine/execution/checks/combiners.js';
import { columnRecords } from '../../../../engine/testing/run-step.js';

const common = { severity: 'error', allow: { count: 0 }, path: 'checks[0]' } as const;
const checks: CheckSpec[] = [
  { kind: 'not-null', name: 'not-null: a, b', fields: ['a', 'b'], ...common },
  { kind: 'not-null', name: 'not-null: gone', fields: ['gone'], ...common },
  { kind: 'values-in', name: 'values-in: w', field: 'w', values: ['sun', 'rain', 1, null], ...common },
  { kind: 'values-in', name: 'values-in: gone', field: 'gone', values: [null], ...common },
  { kind: 'where', name: 'where one field', expr: 'r.a > 1', ...common },
  { kind: 'where', name: 'where a missing field', expr: 'r.gone == null', ...common },
  { kind: 'where', name: 'where two fields', expr: 'r.a > r.b', ...common },
  { kind: 'where', name: 'where that throws on some', expr: 'r.w.length > 3', ...common },
  { kind: 'unique', name: 'unique: a, w', fields: ['a', 'w'], ...common },
  { kind: 'unique', name: 'unique: w, b, a', fields: ['w', 'b', 'a'], ...common },
  { kind: 'unique', name: 'unique: a, gone', fields: ['a', 'gone'], ...common },
  { kind: 'unique', name: 'unique: v (plain values), a', fields: ['v', 'a'], ...common },
];

const value = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 3 }), fc.constantFrom('sun', 'rain', 'fog', '1'), fc.boolean());

/** A batch of `rows` rows: a, b and w dictionary-encoded, v plain values. */
function batchOf(dictionaries: unknown[][], picks: number[][], plain: unknown[]): ColumnBatch {
  const rows = plain.length;
  const columns = new Map<string, Column>();
  ['a', 'b', 'w'].forEach((name, c) => {
    const dictionary = dictionaries[c]!;
    columns.set(name, { dictionary, indices: Int32Array.from({ length: rows }, (_, r) => picks[c]![r]! % dictionary.length) });
  });
  columns.set('v', { values: plain });
  return { rows, columns };
}

describe('checks over columns', () => {
  it('batch gives the states add gives for the same rows as records', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 1, maxLength: 6 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), { minLength: 3, maxLength: 3 }),
        fc.array(value, { minLength: 0, maxLength: 40 }),
        (dictionaries, picks, plain) => {
          const batch = batchOf(dictionaries, picks, plain);
          const make = recordChecks(checks)!;
          const viaBatch = make(0);
          viaBatch.batch(batch);
          const fromBatch = viaBatch.states();
          const viaRecords = make(0);
          columnRecords(batch).forEach((record, at) => viaRecords.add(record, at));
          expect(fromBatch).toEqual(viaRecords.states());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a check on one field is decided per entry: the counts and the first examples, in row order', () => {
    const batch = batchOf(
      [[1, null, 5], [0], ['sun']],
      [
        [0, 1, 2, 1, 0, 2],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
      ],
      [1, 2, 3, 4, 5, 6],
    );
    const chunk = recordChecks([checks[0]!, checks[4]!])!(3);
    chunk.batch(batch);
    expect(chunk.states().map(({ checked, failing, examples }) => ({ checked, failing, examples }))).toEqual([
      {
        checked: 6,
        failing: 2,
        examples: [
          [3, 1],
          [3, 3],
        ],
      },
      {
        checked: 6,
        failing: 4,
        examples: [
          [3, 0],
          [3, 1],
          [3, 3],
          [3, 4],
        ],
      },
    ]);
  });
});
