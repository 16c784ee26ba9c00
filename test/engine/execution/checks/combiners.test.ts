// The record checks as combiners: each kind's counts and examples, and the laws that make the verdict
// the same for any chunking: states merged in chunk order give what one chunk gives.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckSpec } from '../../../../engine/contract/plan.js';
import { absorbCheckState, emptyCheckState, mergeCheckState, recordChecks, type CheckState } from '../../../../engine/execution/checks/combiners.js';
import { keyOf } from '../../../../engine/execution/checks/key.js';
import { finishUnique } from '../../../../engine/execution/checks/unique.js';

const common = { severity: 'error', allow: { count: 0 }, path: 'checks[0]' } as const;
const notNull: CheckSpec = { kind: 'not-null', name: 'not-null: a, b', fields: ['a', 'b'], ...common };
const valuesIn: CheckSpec = { kind: 'values-in', name: 'values-in: w', field: 'w', values: ['sun', 'rain', 1, null], ...common };
const where: CheckSpec = { kind: 'where', name: 'where', expr: 'r.a > 1', ...common };
const unique: CheckSpec = { kind: 'unique', name: 'unique: a, w', fields: ['a', 'w'], ...common };

/** Runs the checks over `records` cut at `cuts` (chunk i holds records[cuts[i-1]..cuts[i]]), merged in chunk order. */
function run(checks: CheckSpec[], records: unknown[], cuts: number[] = []) {
  const make = recordChecks(checks)!;
  const bounds = [0, ...[...cuts].map((c) => Math.min(c, records.length)).sort((a, b) => a - b), records.length];
  const chunks: unknown[][] = [];
  let states: CheckState[] = checks.map((c) => emptyCheckState(c.kind === 'unique'));
  for (let i = 0; i + 1 < bounds.length; i++) {
    const part = records.slice(bounds[i], bounds[i + 1]);
    chunks.push(part);
    const chunk = make(i);
    part.forEach((r, at) => chunk.add(r, at));
    // Through structuredClone, as across a thread.
    const taken = structuredClone(chunk.states());
    states = states.map((s, k) => mergeCheckState(s, taken[k]!));
  }
  // An example's place in the whole input, whatever the chunking.
  const starts = bounds.slice(0, -1);
  const global = (examples: Array<[number, number]>) => examples.map(([c, at]) => starts[c]! + at);
  return { states, chunks, global };
}

function uniqueOutcome(records: unknown[], cuts: number[] = [], check = unique) {
  const { states, global } = run([check], records, cuts);
  const found = finishUnique(states[0]!);
  return { checked: states[0]!.checked, failing: found.failing, examples: global(found.examples) };
}

/** The plain definition: records whose complete key an earlier record has. */
function naiveRepeats(records: unknown[], fields: string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  records.forEach((r, i) => {
    const key = keyOf(r, fields)?.key;
    if (key === undefined) return;
    if (seen.has(key)) out.push(i);
    seen.add(key);
  });
  return out;
}

describe('record checks', () => {
  const records = [
    { a: 1, b: 2, w: 'sun' },
    { a: null, b: 2, w: 'rain' },
    { a: 3, w: 'hail' },
    { a: 1, b: 0, w: 'sun' },
    { a: 5, b: 1, w: 1 },
    { a: 5, b: 1 },
    'not an object',
  ];

  it('not-null counts records with a null or missing field, and keeps where they are', () => {
    const { states, global } = run([notNull], records);
    expect(states[0]).toMatchObject({ checked: 7, failing: 3 });
    expect(global(states[0]!.examples)).toEqual([1, 2, 6]);
  });

  it('values-in compares by value and type; a missing field counts as null', () => {
    const { states, global } = run([valuesIn], records);
    // hail fails; 1 and a missing w (null) are listed; a non-object's w is missing: null, listed.
    expect(states[0]).toMatchObject({ checked: 7, failing: 1 });
    expect(global(states[0]!.examples)).toEqual([2]);
    const strict = run([{ ...valuesIn, values: ['sun'] } as CheckSpec], records).states[0]!;
    expect(strict.failing).toBe(5);
  });

  it('where fails records on which the expression is falsy or throws', () => {
    const throwing: CheckSpec = { ...where, expr: 'r.w.length > 2' } as CheckSpec;
    expect(run([where], records).states[0]).toMatchObject({ checked: 7, failing: 4 });
    // w: 1 has no length (false), a missing w and a string record throw: 3 fail; every word passes.
    expect(run([throwing], records).states[0]).toMatchObject({ failing: 3 });
  });

  it('keeps at most 5 examples, the earliest', () => {
    const many = Array.from({ length: 20 }, () => ({ a: null }));
    const { states, global } = run([notNull], many, [3, 7, 12]);
    expect(states[0]!.failing).toBe(20);
    expect(global(states[0]!.examples)).toEqual([0, 1, 2, 3, 4]);
  });

  it('unique counts the records that repeat an earlier complete key', () => {
    const rows = [
      { a: 1, w: 'x' },
      { a: 1, w: 'y' },
      { a: 1, w: 'x' },
      { a: '1', w: 'x' },
      { a: null, w: 'x' },
      { a: null, w: 'x' },
      { a: -0, w: 'x' },
    ];
    // -0 is 0 (as in a Set); "1" is not 1; keys with a null part are not checked.
    expect(uniqueOutcome(rows, [2, 5])).toEqual({ checked: 5, failing: 1, examples: [2] });
    expect(uniqueOutcome([{ a: 0, w: 'x' }, ...rows])).toMatchObject({ failing: 2, examples: [3, 7] });
  });

  it('unique is exact when different keys share a hash', () => {
    // Every key hashes alike here: only the key bytes tell them apart.
    const rows = [
      { a: 1, w: 'x' },
      { a: 2, w: 'x' },
      { a: 1, w: 'x' },
      { a: 3, w: 'x' },
      { a: 2, w: 'x' },
    ];
    const { states } = run([unique], rows);
    const block = states[0]!.blocks![0]!;
    block.hashes = new Float64Array(block.count).fill(42);
    expect(finishUnique(states[0]!)).toEqual({
      failing: 2,
      examples: [
        [0, 2],
        [0, 4],
      ],
    });
  });

  it('unique reads the key bytes back from the spill files the workers wrote', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flow-unique-test-'));
    try {
      const rows = Array.from({ length: 300 }, (_, i) => ({ a: i % 150, w: i % 7 === 0 ? 'x' : 'y' }));
      const make = recordChecks([notNull, unique], undefined, dir)!;
      let state = emptyCheckState(true);
      for (let c = 0; c < 3; c++) {
        const chunk = make(c);
        rows.slice(c * 100, c * 100 + 100).forEach((r, at) => chunk.add(r, at));
        state = mergeCheckState(state, structuredClone(chunk.states()[1]!));
      }
      expect(readdirSync(dir).sort()).toEqual(['1-0.keys', '1-1.keys', '1-2.keys']);
      expect(state.blocks!.every((b) => b.keys === undefined && b.file !== undefined)).toBe(true);
      const expected = naiveRepeats(rows, ['a', 'w']);
      const found = finishUnique(state);
      expect(found.failing).toBe(expected.length);
      expect(found.examples.map(([c, at]) => c * 100 + at)).toEqual(expected.slice(0, 5));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the combiner laws', () => {
  const value = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer({ min: -2, max: 3 }), fc.constantFrom('sun', 'rain', 'x', '1'));
  const record = fc.record({ a: value, b: value, w: value }, { requiredKeys: [] });
  const records = fc.array(record, { maxLength: 60 });
  const cuts = fc.array(fc.nat({ max: 60 }), { maxLength: 8 });

  it('not-null, values-in and where: any chunking gives the counts and examples of one chunk', () => {
    fc.assert(
      fc.property(records, cuts, (rs, cs) => {
        const one = run([notNull, valuesIn, where], rs);
        const many = run([notNull, valuesIn, where], rs, cs);
        for (let k = 0; k < 3; k++) {
          expect(many.states[k]!.checked).toBe(one.states[k]!.checked);
          expect(many.states[k]!.failing).toBe(one.states[k]!.failing);
          expect(many.global(many.states[k]!.examples)).toEqual(one.global(one.states[k]!.examples));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('unique: any chunking gives the exact count of repeated keys, and the first ones', () => {
    fc.assert(
      fc.property(records, cuts, (rs, cs) => {
        const expected = naiveRepeats(rs, ['a', 'w']);
        const outcome = uniqueOutcome(rs, cs);
        expect(outcome.failing).toBe(expected.length);
        expect(outcome.examples).toEqual(expected.slice(0, 5));
      }),
      { numRuns: 200 },
    );
  });

  it('merge is associative, and an empty state is its identity', () => {
    fc.assert(
      fc.property(records, fc.nat({ max: 60 }), fc.nat({ max: 60 }), (rs, x, y) => {
        const [i, j] = [Math.min(x, y, rs.length), Math.min(Math.max(x, y), rs.length)];
        const {
          states: [a],
        } = run([notNull], rs.slice(0, i));
        const parts = [rs.slice(0, i), rs.slice(i, j), rs.slice(j)].map((part, c) => {
          const chunk = recordChecks([notNull])!(c);
          part.forEach((r, at) => chunk.add(r, at));
          return chunk.states()[0]!;
        });
        const [p, q, r] = parts as [CheckState, CheckState, CheckState];
        expect(mergeCheckState(mergeCheckState(p, q), r)).toEqual(mergeCheckState(p, mergeCheckState(q, r)));
        expect(mergeCheckState(emptyCheckState(false), p)).toEqual(p);
        // The main thread's in-place merge gives what the pure one gives.
        const running = emptyCheckState(false);
        for (const part of [p, q, r]) absorbCheckState(running, part);
        expect(running).toEqual(mergeCheckState(mergeCheckState(p, q), r));
        expect(mergeCheckState(p, emptyCheckState(false))).toEqual(p);
        expect(a!.failing).toBe(p.failing);
      }),
      { numRuns: 200 },
    );
  });
});
