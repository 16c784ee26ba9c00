// trackFields: the fields a record has at each step, from the source through the map steps.
import { describe, expect, it } from 'vitest';
import { trackFields, type ChainStep } from '../../../../engine/planning/fields/chain.js';

const step = (label: string, reads: string[] | undefined, effect?: ChainStep['effect']): ChainStep => ({ label, reads, ...(effect ? { effect } : {}) });

describe('trackFields with fields known at the source', () => {
  const header = ['date', 'temp_max', 'weather'];

  it('reports a field the records do not have, with the fields they have', () => {
    const { unknown, watch } = trackFields(header, [step('map[0] (filter)', ['temp_maxx'], { keep: true }), step('reduce (group)', ['weather', 'temp_mx'])]);
    expect(unknown).toEqual([
      { step: 0, field: 'temp_maxx', known: header },
      { step: 1, field: 'temp_mx', known: header },
    ]);
    expect(watch).toEqual([]);
  });

  it('knows the fields set adds, from the next step on (set reads the record as it came)', () => {
    const { unknown } = trackFields(header, [
      step('map[0] (set)', ['temp_max', 'hot'], { add: ['hot'] }),
      step('map[1] (filter)', ['hot'], { keep: true }),
      step('reduce (group)', ['hot']),
    ]);
    expect(unknown).toEqual([{ step: 0, field: 'hot', known: header }]);
  });

  it('narrows to the fields of select, naming it', () => {
    const { unknown } = trackFields(header, [
      step('map[0] (select)', ['date', 'weather'], { only: ['date', 'weather'] }),
      step('reduce (group)', ['temp_max']),
    ]);
    expect(unknown).toEqual([{ step: 1, field: 'temp_max', known: ['date', 'weather'], since: 'map[0] (select)' }]);
  });

  it('stops after a step that rebuilds the record, and skips a step that cannot tell what it reads', () => {
    const { unknown, watch } = trackFields(header, [
      step('map[0] (filter)', undefined, { keep: true }),
      step('map[1] (transform)', ['nope'], { unknown: true }),
      step('map[2] (filter)', ['anything'], { keep: true }),
      step('reduce (group)', ['whatever']),
    ]);
    expect(unknown).toEqual([{ step: 1, field: 'nope', known: header }]);
    expect(watch).toEqual([]);
  });
});

describe('trackFields with fields not known at the source', () => {
  it('watches each field read from the source once, at the first step that reads it', () => {
    const { unknown, watch } = trackFields(undefined, [
      step('map[0] (filter)', ['delay'], { keep: true }),
      step('map[1] (set)', ['delay'], { add: ['late'] }),
      step('reduce (group)', ['late', 'origin', 'delay']),
    ]);
    expect(unknown).toEqual([]);
    expect(watch).toEqual([
      { step: 0, field: 'delay' },
      { step: 2, field: 'origin' },
    ]);
  });

  it('knows every field after select, even when the source could not tell', () => {
    const { unknown, watch } = trackFields(undefined, [step('map[0] (select)', ['a', 'b'], { only: ['a', 'b'] }), step('reduce (group)', ['c'])]);
    expect(watch).toEqual([
      { step: 0, field: 'a' },
      { step: 0, field: 'b' },
    ]);
    expect(unknown).toEqual([{ step: 1, field: 'c', known: ['a', 'b'], since: 'map[0] (select)' }]);
  });

  it('watches nothing after a step that rebuilds the record', () => {
    const { watch } = trackFields(undefined, [step('map[0] (flat-map)', ['items'], { unknown: true }), step('reduce (sum)', ['price'])]);
    expect(watch).toEqual([{ step: 0, field: 'items' }]);
  });
});
