// The example plugin package's own tests, written as a plugin author would: through `flow-pipelines/testing`
// (this package's export, self-referenced) and the package's public step names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReducerLaws, runStep, validateOptions } from 'flow-pipelines/testing';
import histogram from '@flow-examples/steps/histogram';
import parseDate from '@flow-examples/steps/parse-date';

describe('@flow-examples/steps/parse-date', () => {
  it('adds the parts asked for, null for a missing date', async () => {
    const records = [{ date: '2012-01-31' }, { date: '2001/03/04 17:45' }, { date: null }];
    expect(await runStep(parseDate, records, { field: 'date', parts: ['year', 'month', 'weekday', 'hour'] })).toEqual([
      { date: '2012-01-31', year: 2012, month: 1, weekday: 2, hour: null },
      { date: '2001/03/04 17:45', year: 2001, month: 3, weekday: 0, hour: 17 },
      { date: null, year: null, month: null, weekday: null, hour: null },
    ]);
    expect(await runStep(parseDate, [{ d: '2015-12-25' }], { field: 'd', prefix: 'd_' })).toEqual([{ d: '2015-12-25', d_year: 2015, d_month: 12, d_day: 25 }]);
  });

  it('refuses a part it does not know, naming the option', () => {
    let error: unknown;
    try {
      validateOptions(parseDate, { field: 'date', parts: ['decade'] });
    } catch (e) {
      error = e;
    }
    expect((error as { toJSON(): unknown }).toJSON()).toEqual({
      code: 'INVALID_VALUE',
      message: 'the string "decade" is not allowed here',
      path: 'with.parts[0]',
      hint: 'allowed values: "year", "month", "day", "weekday", "hour", "minute"',
    });
  });

  it('fails on a value that is not a date', async () => {
    await expect(runStep(parseDate, [{ date: 'soon' }], { field: 'date' })).rejects.toThrow('parse-date: field "date" is "soon", not a date like 2012-01-31');
  });
});

describe('@flow-examples/steps/histogram', () => {
  const temps = fc.array(fc.record({ t: fc.oneof(fc.double({ min: -40, max: 50, noNaN: true }), fc.integer({ min: -5, max: 5 }), fc.constant(null)) }), {
    maxLength: 40,
  });

  it('is a combiner: init is the identity, merge associative, any chunking gives the same bins', () => {
    checkReducerLaws(histogram, { records: temps, options: { field: 't', width: 2.5 } });
    checkReducerLaws(histogram, { records: [{ t: 1 }, { t: 7 }, {}, { t: -3 }, { t: 7.5 }], options: { field: 't', width: 5, origin: 1 } });
  });

  it('counts per bin, sorted, whatever the chunking', async () => {
    const records = [3, 12, -1, 14.9, 15, null, 0].map((t) => ({ t }));
    const bins = [
      { from: -5, to: 0, count: 1 },
      { from: 0, to: 5, count: 2 },
      { from: 10, to: 15, count: 2 },
      { from: 15, to: 20, count: 1 },
    ];
    expect(await runStep(histogram, records, { field: 't', width: 5 })).toEqual(bins);
    expect(await runStep(histogram, records, { field: 't', width: 5 }, { chunks: 4 })).toEqual(bins);
  });
});
