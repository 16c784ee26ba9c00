// The group reducer's add over columns (fast.columns) against its add over the same rows as records:
// the same groups in the same order, the same result, and an error exactly where add would throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import group from '../../../../steps/reduce-group.js';
import type { Column, ColumnBatch } from '../../../../engine/contract/step.js';
import { canon, ctx } from '../../reduce-harness.js';

const options = {
  by: 'k',
  aggregate: { n: 'count', s: { sum: 'v' }, m: { mean: 'v' }, lo: { min: 'v' }, hi: { max: 'v' }, w: { mean: 'w' } },
} as const;

const key = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'B', '__proto__', true, false, null, undefined, -0, NaN, 2n ** 60n, 2 ** 60));
const value = fc.oneof(
  fc.integer({ min: -50, max: 50 }),
  // Integers near the bound under which a dictionary's entries are totalled in a double, and past 2^53.
  fc.constantFrom(2 ** 47, -(2 ** 47) + 1, 2 ** 52, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2n ** 53n + 1n, -(2n ** 60n)),
  fc.double({ noDefaultInfinity: true }),
  fc.constantFrom(null, undefined, 0.1, -0, NaN, Infinity, 1e308),
);
const bad = fc.constantFrom('2', true, [1], { a: 1 });
const row = fc.record({ k: key, v: value, w: value });

// A dictionary's indices in a Uint32Array go through the WebAssembly loops (kit/wasm/columns.wat),
// in a plain array through the same loops in JS.
type Form = 'values' | 'dictionary' | 'dictionary in an array' | 'missing';
const form = fc.constantFrom<Form>('values', 'dictionary', 'dictionary in an array', 'missing');

/** A column in the given form: a dictionary holds each distinct value (by Object.is), an unused entry and a repeat. */
function column(values: unknown[], as: Form): Column | undefined {
  if (as === 'missing') return undefined;
  if (as === 'values') return { values };
  const dictionary: unknown[] = ['unused', values[0]];
  const indices = values.map((v) => {
    const at = dictionary.findIndex((d, i) => i > 0 && Object.is(d, v));
    return at >= 0 ? at : dictionary.push(v) - 1;
  });
  return { dictionary, indices: as === 'dictionary' ? Uint32Array.from(indices) : indices };
}

function batch(rows: Record<string, unknown>[], forms: Record<'k' | 'v' | 'w', Form>): ColumnBatch {
  const columns = new Map<string, Column>();
  for (const field of ['k', 'v', 'w'] as const) {
    const c = column(
      rows.map((r) => r[field]),
      forms[field],
    );
    if (c) columns.set(field, c);
  }
  return { rows: rows.length, columns };
}

/** The records the batch stands for: a missing column is a missing field. */
const records = (rows: Record<string, unknown>[], forms: Record<string, Form>) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).filter(([field]) => forms[field] !== 'missing')));

function run(add: (acc: unknown, state: unknown) => unknown, before: Record<string, unknown>[]) {
  const state = group.setup!(options, ctx);
  let acc = group.init(state);
  for (const r of before) acc = group.add(acc, r, state);
  try {
    acc = add(acc, state) as typeof acc;
  } catch (error) {
    return { error: (error as Error).message };
  }
  return { keys: [...acc.keys()], result: canon(group.finish(acc, state)) };
}

describe('group fast.columns', () => {
  it('gives what add gives row by row: groups made in the same order, the same rows, errors where add throws', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.array(row, { maxLength: 5 }),
        fc.record({ k: form, v: form, w: form }),
        fc.option(fc.tuple(fc.nat(39), fc.constantFrom('k', 'v'), bad), { nil: undefined }),
        (rows, before, forms, spoil) => {
          if (spoil && spoil[0] < rows.length) rows[spoil[0]] = { ...rows[spoil[0]]!, [spoil[1]]: spoil[2] };
          const fast = run((acc, state) => group.fast!.columns!(acc, batch(rows, forms), state), before);
          const slow = run((acc, state) => records(rows, forms).reduce((a, r) => group.add(a, r, state), acc), before);
          // Where add throws, the engine goes record by record: any error will do.
          if ('error' in slow) expect(fast).toHaveProperty('error');
          else expect(fast).toEqual(slow);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('totals a dictionary of integers exactly however large the group, past 2^53 with what came before, and takes fractions and BigInts as add does', () => {
    const v = (i: number) => (i % 7 === 0 ? 2 ** 36 + (i % 5) : i % 11 === 0 ? 0.5 : i % 13 === 0 ? 2n ** 70n : -(i % 9));
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ k: i % 3 === 0 ? 'a' : 'b', v: v(i) }));
    const before = [{ k: 'a', v: Number.MAX_SAFE_INTEGER - 5 }];
    const forms = { k: 'dictionary', v: 'dictionary', w: 'missing' } as const;
    const fast = run((acc, state) => group.fast!.columns!(acc, batch(rows, forms), state), before);
    const slow = run((acc, state) => records(rows, forms).reduce((a, r) => group.add(a, r, state), acc), before);
    expect(fast).toEqual(slow);
    // Integers alone: the exact total, a BigInt past 2^53.
    const ints = rows.filter((r) => r.k === 'a' && typeof r.v === 'number' && Number.isInteger(r.v));
    const exact = ints.reduce((t, r) => t + BigInt(r.v as number), BigInt(Number.MAX_SAFE_INTEGER - 5));
    const only = run((acc, state) => group.fast!.columns!(acc, batch(ints, forms), state), before);
    expect(only.result).toContain(`"s":"b:${exact}"`);
  });

  it('adds an empty batch and a batch without the key column (the null group)', () => {
    const state = group.setup!(options, ctx);
    expect(group.finish(group.fast!.columns!(group.init(state), { rows: 0, columns: new Map() }, state), state)).toEqual([]);
    const acc = group.fast!.columns!(group.init(state), { rows: 3, columns: new Map([['v', { values: [1, null, 2] }]]) }, state);
    expect(group.finish(acc, state)).toEqual([{ k: null, n: 3, s: 3, m: 1.5, lo: 1, hi: 2, w: null }]);
  });
});
